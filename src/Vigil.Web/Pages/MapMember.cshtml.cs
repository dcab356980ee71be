using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.App.Administration;
using Vigil.App.Queries;
using Vigil.Storage;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>
/// Resolves one unidentified member (admins): search the staff directory and map to a person in one click, or mark
/// the member a service account with a justification. Works without JavaScript (the search is a GET form).
/// </summary>
[Authorize(Policy = VigilPolicies.Admin)]
internal sealed class MapMemberModel(IVigilStore store, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Member { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    [BindProperty] public string? Person { get; set; }
    [BindProperty] public string? Justification { get; set; }

    public IReadOnlyList<PersonView> People { get; private set; } = [];
    public int PeopleTotal { get; private set; }
    public string? Problem { get; private set; }

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostMapAsync(CancellationToken ct)
    {
        try
        {
            var mapping = await DirectoryOperations.MapToPersonAsync(store, Member ?? "", Person ?? "", time, ct);
            Message = $"{mapping.MemberEmail} is now mapped to {mapping.PersonEmail}. The checks use it from the next evaluation.";
            return Redirect("/members?search=" + Uri.EscapeDataString(mapping.MemberEmail));
        }
        catch (OperationException e)
        {
            return await RefusedAsync(e, ct);
        }
    }

    public async Task<IActionResult> OnPostServiceAsync(CancellationToken ct)
    {
        try
        {
            var mapping = await DirectoryOperations.MarkServiceAccountAsync(store, Member ?? "", Justification ?? "", time, ct);
            Message = $"{mapping.MemberEmail} is now a service account. The checks use it from the next evaluation.";
            return Redirect("/members?search=" + Uri.EscapeDataString(mapping.MemberEmail));
        }
        catch (OperationException e)
        {
            return await RefusedAsync(e, ct);
        }
    }

    private async Task<IActionResult> RefusedAsync(OperationException e, CancellationToken ct)
    {
        Problem = e.Message;
        await LoadAsync(ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var page = await PeopleQuery.ListAsync(store, string.IsNullOrWhiteSpace(Q) ? null : Q, new PageRequest(0, 25), ct);
        People = page.Items;
        PeopleTotal = page.Total;
    }
}
