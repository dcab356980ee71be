using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.App.Reviews;
using Vigil.Core.Reviews;
using Vigil.Storage;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>
/// One campaign: progress per reviewer, the signed-in reviewer's own queue with keep / revoke / change-role as one click
/// each (a comment is required for revoke and change-role), the owner's sign-off, and each revocation's verification.
/// Who may decide what is the review rules' call (ReviewService), with the signed-in user's email as the decider.
/// </summary>
internal sealed class CampaignModel(IVigilStore store, TimeProvider time, IAuthorizationService authorization) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty(SupportsGet = true)] public bool All { get; set; }

    [BindProperty] public string? Member { get; set; }
    [BindProperty] public string? Account { get; set; }
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? Comment { get; set; }
    [BindProperty] public string? Roles { get; set; }
    [BindProperty] public string? Statement { get; set; }

    [TempData] public string? Message { get; set; }

    public CampaignView? Campaign { get; private set; }
    public string? Problem { get; private set; }
    public bool CanDecide { get; private set; }
    public bool IsAdmin { get; private set; }
    public string Me => User.Email();

    /// <summary>The items this user decides: their own, or every item for the campaign's owner (and with ?all=true).</summary>
    public IEnumerable<ReviewItemView> Queue => Campaign is null ? []
        : All || string.Equals(Campaign.Owner, Me, StringComparison.OrdinalIgnoreCase)
            ? Campaign.Items
            : Campaign.Items.Where(i => string.Equals(i.Reviewer, Me, StringComparison.OrdinalIgnoreCase));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostDecideAsync(CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, VigilPolicies.Reviewer)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            var kind = ReviewRules.ParseDecision(Decision ?? "") ?? throw new InvalidRequestException("decision must be keep, revoke, change_role or defer", "decision");
            var roles = (Roles ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var recorded = await new ReviewService(store, time).DecideAsync(new DecideRequest(Id, Member ?? "", kind, roles, Me,
                string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim(), string.IsNullOrWhiteSpace(Account) ? null : Account,
                ByAdministrator: (await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded), ct);
            Message = $"{ReviewRules.Name(recorded.Decision.Decision)}: {recorded.Item.MemberEmail} ({recorded.Item.AccountName}).";
            return Redirect(Request.Path + (All ? "?all=true" : ""));
        }
        catch (OperationException e)
        {
            return await RefusedAsync(e, ct);
        }
    }

    public async Task<IActionResult> OnPostSignOffAsync(CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, VigilPolicies.Reviewer)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            var completed = await new ReviewService(store, time).CompleteAsync(Id, Me, Statement ?? "", ct);
            Message = $"Signed off by {completed.SignOff.By}; {completed.PendingChanges} change(s) remain to apply in Cloudflare and verify.";
            return Redirect(Request.Path);
        }
        catch (OperationException e)
        {
            return await RefusedAsync(e, ct);
        }
    }

    private async Task<IActionResult> RefusedAsync(OperationException e, CancellationToken ct)
    {
        Problem = e.Message;
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        CanDecide = (await authorization.AuthorizeAsync(User, VigilPolicies.Reviewer)).Succeeded;
        IsAdmin = (await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded;
        try
        {
            Campaign = await new ReviewService(store, time).ShowAsync(Id, ct);
            return true;
        }
        catch (CampaignNotFoundException)
        {
            return false;
        }
    }
}
