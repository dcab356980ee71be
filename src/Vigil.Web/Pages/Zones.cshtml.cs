using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App.Queries;
using Vigil.Storage;

namespace Vigil.Web.Pages;

/// <summary>Each zone with its settings and WAF state as the checks read them, and what each zone check concluded.</summary>
internal sealed class ZonesModel(IVigilStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Account { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public int Offset { get; set; }

    public Page<ZoneView>? Result { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Result = await ZonesQuery.ListAsync(store, new ZoneFilter(string.IsNullOrWhiteSpace(Account) ? null : Account, string.IsNullOrWhiteSpace(Search) ? null : Search),
            new PageRequest(Math.Max(0, Offset), 50), ct);

    public string Link(int offset) => "/zones" + QueryString.Create(new Dictionary<string, string?>
    {
        ["account"] = Account, ["search"] = Search, ["offset"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value)));
}
