using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.App.Queries;
using Vigil.App.Reports;
using Vigil.App.Reviews;
using Vigil.Storage;
using Vigil.Web.Api;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>
/// Reports: the kept reports with a download link for each file and its signed manifest (everyone signed in), and the
/// form that generates one (admins), through the same operation as <c>POST /api/v1/reports</c>.
/// </summary>
internal sealed class ReportsModel(IVigilStore store, WebReports reports, TimeProvider time, IAuthorizationService authorization) : PageModel
{
    /// <summary>How many kept reports the page lists (newest first); the API pages through all of them.</summary>
    public const int Shown = 50;

    public IReadOnlyList<StoredReport> Reports { get; private set; } = [];
    public int Total { get; private set; }
    public IReadOnlyList<CampaignSummaryView> Campaigns { get; private set; } = [];
    public bool IsAdmin { get; private set; }
    public string? Problem { get; private set; }

    [BindProperty] public string? Format { get; set; } = "html";
    [BindProperty] public string? At { get; set; }
    [BindProperty] public string? Snapshot { get; set; }
    [BindProperty] public string? Review { get; set; }

    /// <summary>The report just generated, shown first and marked.</summary>
    [BindProperty(SupportsGet = true)] public string? Generated { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostGenerateAsync(CancellationToken ct)
    {
        if (!(await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded)
        {
            return Forbid();
        }

        try
        {
            var report = await ReportsEndpoints.GenerateReportAsync(HttpContext, new GenerateReportRequest(Format, At, Snapshot, Review), ct);
            TempData["Message"] = $"Generated the {report.Format} report {report.FileName} on snapshot {report.SnapshotId} (SHA-256 {report.Sha256}), signed with key {report.KeyId}.";
            return RedirectToPage(new { generated = report.Id });
        }
        catch (OperationException e)
        {
            Problem = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    public static string Utc(DateTimeOffset at) => Overview.Utc(at);

    private async Task LoadAsync(CancellationToken ct)
    {
        IsAdmin = (await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded;
        var page = reports.Archive.List(store.Organisation, new PageRequest(0, Shown));
        Reports = page.Items;
        Total = page.Total;
        if (IsAdmin)
        {
            Campaigns = (await new ReviewService(store, time).ListAsync(ct)).Campaigns;
        }
    }
}
