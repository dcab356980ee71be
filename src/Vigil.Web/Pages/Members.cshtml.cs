using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.App.Queries;
using Vigil.Storage;

namespace Vigil.Web.Pages;

/// <summary>Every membership with its person, org role, roles and scope, 2FA, status and flags.</summary>
internal sealed class MembersModel(IVigilStore store, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Account { get; set; }
    [BindProperty(SupportsGet = true)] public string? Flag { get; set; }
    [BindProperty(SupportsGet = true)] public string? Identity { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public int Offset { get; set; }

    public Page<MemberView>? Result { get; private set; }

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        try
        {
            Result = await MembersQuery.ListAsync(store, new MemberFilter(Blank(Account), Blank(Flag), Blank(Identity), Blank(Search)),
                new PageRequest(Math.Max(0, Offset), 100), time.GetUtcNow(), ct);
        }
        catch (InvalidRequestException e)
        {
            Problem = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    public string Link(int offset) => "/members" + QueryString.Create(new Dictionary<string, string?>
    {
        ["account"] = Account, ["flag"] = Flag, ["identity"] = Identity, ["search"] = Search, ["offset"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrEmpty(p.Value)));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) || value == "all" ? null : value;
}
