using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.App.Reviews;
using Vigil.Storage;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>Access review campaigns with their progress; admins start one here.</summary>
internal sealed class ReviewsModel(IVigilStore store, TimeProvider time, IAuthorizationService authorization) : PageModel
{
    public CampaignListView? Campaigns { get; private set; }
    public string? Problem { get; private set; }
    public bool IsAdmin { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Due { get; set; }
    [BindProperty] public string? Reviewers { get; set; }
    [BindProperty] public bool AllowStale { get; set; }

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostStartAsync(CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            DateOnly? due = null;
            if (!string.IsNullOrWhiteSpace(Due))
            {
                due = DateOnly.TryParseExact(Due.Trim(), "yyyy-MM-dd", out var parsed) ? parsed : throw new InvalidRequestException("due must be a date like 2026-12-31", "due");
            }

            var reviewers = (Reviewers ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var started = await new ReviewService(store, time).StartAsync(new StartCampaignRequest(Name: string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
                Due: due, Reviewers: reviewers, AllowStale: AllowStale), ct);
            Message = $"Campaign \"{started.Campaign.Name}\" started with {started.Items.Count} item(s).";
            return Redirect("/reviews/" + Uri.EscapeDataString(started.Campaign.Id));
        }
        catch (OperationException e)
        {
            Problem = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        IsAdmin = (await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded;
        try
        {
            Campaigns = await new ReviewService(store, time).ListAsync(ct);
        }
        catch (OperationException e)
        {
            Problem ??= e.Message;
        }
    }
}
