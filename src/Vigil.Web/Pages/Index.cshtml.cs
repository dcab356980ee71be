using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.Core.Sync;
using Vigil.Storage;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>The overview: pass/fail per check, data age per stage, next sync, trend, and what needs attention. Admins can sync or re-evaluate.</summary>
internal sealed class IndexModel(IVigilStore store, RootStore root, BackgroundSyncs syncs, TimeProvider time, IAuthorizationService authorization) : PageModel
{
    public OverviewData Data { get; private set; } = null!;

    public string OrganisationName => User.Organisation().Name;

    public bool IsAdmin { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        IsAdmin = (await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded;
        // When this server runs the scheduler (vigil serve), its own next fire time and last firing.
        var schedule = HttpContext.RequestServices.GetService<Vigil.App.Scheduling.VigilScheduler>() is { } scheduler
            ? await scheduler.ScheduleOfAsync(store.Organisation, ct)
            : null;
        Data = await Overview.LoadAsync(store, Now, ct, schedule);
    }

    /// <summary>"Evaluate now": the checks again on the current snapshot (after a mapping or a review decision), no Cloudflare call.</summary>
    public async Task<IActionResult> OnPostEvaluateAsync(CancellationToken ct)
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        var options = await CheckConfiguration.OptionsAsync(store, null, null, ct);
        var evaluation = await CheckEvaluation.Evaluator(store, time).EvaluateCurrentAsync(options, ct);
        Message = evaluation is null ? "Nothing to evaluate yet: no sync has committed data." : $"Evaluated at {Overview.Utc(evaluation.EvaluatedAt)}.";
        return RedirectToPage();
    }

    /// <summary>"Sync now": sync-then-evaluate in the background, recorded with trigger "web".</summary>
    public async Task<IActionResult> OnPostSyncAsync(CancellationToken ct)
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        var services = VigilServices.Create(root.Store.ForOrganisation(User.Organisation()), time: time);
        try
        {
            var runId = await syncs.StartAsync(services, ConnectionPurpose.Both, "web", HttpContext.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping, ct);
            Message = $"Sync {runId} started; this page shows its data once it ends.";
        }
        catch (Exception e) when (e is OperationException or SyncAlreadyRunningException)
        {
            Message = e.Message;
        }

        return RedirectToPage();
    }

    private async Task<bool> IsAdminAsync() => (await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded;
}
