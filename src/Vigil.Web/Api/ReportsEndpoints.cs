using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App;
using Vigil.App.Queries;
using Vigil.App.Reports;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>POST /api/v1/reports: the options of <c>vigil report</c>.</summary>
/// <param name="Format">html, csv, json or ocsf.</param>
/// <param name="At">A date (YYYY-MM-DD, the end of that day in the organisation's time zone) or an ISO-8601 time with offset: the snapshot current then.</param>
/// <param name="Snapshot">A snapshot (sync run) id; excludes <paramref name="At"/>.</param>
/// <param name="Review">A review campaign id to include.</param>
internal sealed record GenerateReportRequest(string? Format, string? At = null, string? Snapshot = null, string? Review = null);

/// <summary>POST /api/v1/reports/verify with a JSON body: a kept report's id.</summary>
internal sealed record VerifyStoredReportRequest(string? ReportId);

/// <summary>A kept report, with where to download it and its manifest.</summary>
internal sealed record ReportResponse(
    string Id,
    string Format,
    string FileName,
    string ManifestFileName,
    long Bytes,
    string Sha256,
    string KeyId,
    string SnapshotId,
    DateTimeOffset SnapshotTakenAt,
    string Selection,
    string? CampaignId,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string DownloadUrl,
    string ManifestUrl)
{
    public static ReportResponse From(StoredReport r)
    {
        var at = $"/api/v1/reports/{r.Id}";
        return new(r.Id, r.Format, r.FileName, r.ManifestFileName, r.Bytes, r.Sha256, r.KeyId, r.SnapshotId, r.SnapshotTakenAt, r.Selection, r.CampaignId,
            r.CreatedAt, r.CreatedBy, at + "/file", at + "/manifest");
    }
}

/// <summary>What verifying found, as <c>vigil report verify</c> prints it: <c>ok</c> when every file and the signature check out.</summary>
internal sealed record VerifyReportResponse(bool Ok, string Manifest, string? KeyId, string? TrustedKeyId, IReadOnlyList<ManifestFile> Files, IReadOnlyList<ManifestProblem> Problems);

/// <summary>
/// /api/v1/reports: generate evidence as <c>vigil report</c> does (admin), list and download the kept reports and their
/// signed manifests (any signed-in user), verify a kept report or an uploaded report + manifest against this Vigil's
/// signing key. See <see cref="ReportArchive"/> for why reports are kept rather than regenerated.
/// </summary>
internal static class ReportsEndpoints
{
    /// <summary>Largest report or manifest accepted for verification (bytes).</summary>
    public const long MaxUpload = 100 * 1024 * 1024;

    public static RouteGroupBuilder MapReportsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reports").WithTags("Reports");
        group.MapPost("", GenerateAsync).WithName("GenerateReport").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<GenerateReportRequest>("application/json")
            .Produces<ReportResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("", List).WithName("ListReports").ProducesValidationProblem();
        group.MapGet("/key", PublicKey).WithName("GetReportSigningKey").Produces<string>(StatusCodes.Status200OK, "application/x-pem-file")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}", Get).WithName("GetReport");
        group.MapGet("/{id}/file", Download).WithName("DownloadReport")
            .Produces<string>(StatusCodes.Status200OK, "text/html", "text/csv", "application/json", "application/x-ndjson")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/manifest", DownloadManifest).WithName("DownloadReportManifest")
            .Produces<string>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/verify", VerifyAsync).WithName("VerifyReport")
            .Accepts<VerifyStoredReportRequest>("application/json", "multipart/form-data")
            .Produces<VerifyReportResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .DisableAntiforgery();
        return api;
    }

    /// <summary>The operation behind the API and the Reports page: generate, sign and keep one report.</summary>
    public static async Task<StoredReport> GenerateReportAsync(HttpContext http, GenerateReportRequest request, CancellationToken ct)
    {
        var format = ReportFormats.Parse(request.Format);
        var reports = http.RequestServices.GetRequiredService<WebReports>();
        using var key = reports.SigningKey();
        static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        return await reports.Archive.GenerateAsync(ApiRequest.Store(http), format,
            new ReportSelection(Trimmed(request.At), Trimmed(request.Snapshot), Trimmed(request.Review)),
            ApiRequest.Email(http.User), key, ApiRequest.Time(http), ct);
    }

    private static async Task<Created<ReportResponse>> GenerateAsync(HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<GenerateReportRequest>(http, ct);
        var report = ReportResponse.From(await GenerateReportAsync(http, body, ct));
        return TypedResults.Created($"/api/v1/reports/{report.Id}", report);
    }

    private static Ok<ApiPage<ReportResponse>> List(HttpContext http, int? limit, string? cursor)
    {
        var page = Archive(http).List(ApiRequest.Store(http).Organisation, PageRequest.From(limit, cursor));
        return TypedResults.Ok(new ApiPage<ReportResponse>([.. page.Items.Select(ReportResponse.From)], page.Total, page.NextCursor));
    }

    private static Results<Ok<ReportResponse>, ProblemHttpResult> Get(string id, HttpContext http) =>
        Find(http, id) is { } report ? TypedResults.Ok(ReportResponse.From(report)) : NotFound(id);

    private static IResult Download(string id, HttpContext http) => File(http, id, manifest: false);

    private static IResult DownloadManifest(string id, HttpContext http) => File(http, id, manifest: true);

    /// <summary>The public key (PEM) the reports are signed with, as <c>vigil report key</c> prints it.</summary>
    private static IResult PublicKey(HttpContext http) =>
        http.RequestServices.GetRequiredService<WebReports>().TrustedPublicKey() is { } pem
            ? TypedResults.Text(pem, "application/x-pem-file")
            : ApiErrors.NotFound("no report has been signed here yet: the signing key is created with the first report");

    /// <summary>
    /// Either a JSON body <c>{"report_id": "..."}</c> (a kept report), or multipart/form-data with the report in
    /// <c>report</c> and its manifest in <c>manifest</c>; both are checked against this Vigil's signing key.
    /// </summary>
    private static async Task<IResult> VerifyAsync(HttpContext http, CancellationToken ct)
    {
        var reports = http.RequestServices.GetRequiredService<WebReports>();
        var trusted = reports.TrustedPublicKey();
        var trustedId = trusted is null ? null : ReportSigningKey.IdOf(trusted);
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            var report = form.Files.GetFile("report");
            var manifest = form.Files.GetFile("manifest");
            if (report is null || report.Length == 0)
            {
                return ApiErrors.Validation("report", "upload the report file in the field 'report' (with its manifest in 'manifest')");
            }
            if (manifest is null || manifest.Length == 0)
            {
                return ApiErrors.Validation("manifest", "upload the report's manifest (NAME.manifest.json) in the field 'manifest'");
            }
            if (report.Length > MaxUpload || manifest.Length > MaxUpload)
            {
                return ApiErrors.Validation(report.Length > MaxUpload ? "report" : "manifest", $"the file is larger than {MaxUpload / (1024 * 1024)} MB");
            }

            await using var reportStream = report.OpenReadStream();
            await using var manifestStream = manifest.OpenReadStream();
            var uploaded = await ReportArchive.VerifyUploadAsync(reportStream, report.FileName, manifestStream, trusted, ct);
            return TypedResults.Ok(Response(uploaded, trustedId));
        }

        var body = await ApiRequest.BodyAsync<VerifyStoredReportRequest>(http, ct);
        var id = body.ReportId?.Trim() is { Length: > 0 } i
            ? i
            : throw new InvalidRequestException("report_id is required (or upload the report and its manifest as multipart/form-data)", "report_id");
        if (Find(http, id) is not { } stored)
        {
            return NotFound(id);
        }

        var check = reports.Archive.Verify(ApiRequest.Store(http).Organisation, stored, trusted);
        return TypedResults.Ok(Response(check, trustedId));
    }

    // The server's own folders are nobody's business: files are named as the manifest names them.
    private static VerifyReportResponse Response(ManifestCheck check, string? trustedId) =>
        new(check.Ok, Path.GetFileName(check.ManifestPath), check.KeyId, trustedId, check.Files, check.Problems);

    private static IResult File(HttpContext http, string id, bool manifest)
    {
        if (Find(http, id) is not { } report)
        {
            return NotFound(id);
        }

        var path = Archive(http).PathOf(ApiRequest.Store(http).Organisation, report, manifest);
        if (!System.IO.File.Exists(path))
        {
            return ApiErrors.NotFound($"the {(manifest ? "manifest" : "file")} of report '{id}' is missing from the report store");
        }

        var type = manifest ? "application/json" : ReportFormats.Parse(report.Format).MediaType();
        return TypedResults.PhysicalFile(path, type, manifest ? report.ManifestFileName : report.FileName);
    }

    private static StoredReport? Find(HttpContext http, string id) => Archive(http).Find(ApiRequest.Store(http).Organisation, id.Trim());

    private static ReportArchive Archive(HttpContext http) => http.RequestServices.GetRequiredService<WebReports>().Archive;

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"no report '{id}': GET /api/v1/reports lists them", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
