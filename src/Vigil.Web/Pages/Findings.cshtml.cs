using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.App.Queries;
using Vigil.Core.Checks;
using Vigil.Storage;

namespace Vigil.Web.Pages;

/// <summary>Findings of the newest evaluation, filtered by check, status, severity, account and zone (query string, so links and bookmarks work).</summary>
internal sealed class FindingsModel(IVigilStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Check { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Account { get; set; }
    [BindProperty(SupportsGet = true)] public string? Zone { get; set; }
    [BindProperty(SupportsGet = true)] public int Offset { get; set; }

    public const int PageSize = 100;

    public FindingsPage? Result { get; private set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<CheckDefinition> Catalogue => CheckCatalog.All.Select(c => c.Definition).ToList();

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The default view is what needs fixing: failing findings.
        Status ??= "fail";
        try
        {
            Result = await FindingsQuery.ListAsync(store, new FindingFilter(Empty(Status), Empty(Severity), Empty(Check), Empty(Account), Empty(Zone)),
                new PageRequest(Math.Max(0, Offset), PageSize), ct);
        }
        catch (InvalidRequestException e)
        {
            Problem = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    /// <summary>This page's query string with one offset, for the next/previous links.</summary>
    public string Link(int offset) => "/findings" + QueryString.Create(new Dictionary<string, string?>
    {
        ["check"] = Check, ["status"] = Status, ["severity"] = Severity, ["account"] = Account, ["zone"] = Zone, ["offset"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value)));

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) || value == "all" ? null : value;
}
