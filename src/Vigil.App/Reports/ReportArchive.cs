using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Vigil.App.Queries;
using Vigil.Core.Organisations;
using Vigil.Storage;

namespace Vigil.App.Reports;

/// <summary>A report the web app generated and keeps, with its signed manifest beside it.</summary>
/// <param name="Id">32 hex digits; names the report's folder.</param>
/// <param name="Format">html, csv, json or ocsf.</param>
/// <param name="FileName">The report file's name, as its manifest lists it.</param>
/// <param name="Bytes">The report file's size.</param>
/// <param name="Sha256">The report file's SHA-256 (lower-case hex), as its manifest lists it.</param>
/// <param name="KeyId">The signing key's id (SHA-256 of its public key).</param>
/// <param name="Selection">How the snapshot was chosen: "current", "snapshot ID" or "at DATE (...)".</param>
/// <param name="CreatedBy">The email of the user who generated it.</param>
public sealed record StoredReport(
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
    string CreatedBy);

/// <summary>
/// The reports the web app generates (<c>POST /api/v1/reports</c> and the Reports page), kept as the very files
/// <see cref="ReportWriter"/> wrote: one folder per report under <c>reports/ORGANISATION/ID</c> in the Vigil home (beside
/// the signing key that signed them), holding the report, its manifest and a small description. They are kept rather
/// than regenerated because a download must be the exact bytes its manifest signed: the signature is randomised
/// (ECDSA), the manifest carries its signing time, "current" moves on with every sync and a campaign gains decisions,
/// so a regenerated report would be a different, if valid, piece of evidence.
/// </summary>
public sealed class ReportArchive
{
    private const string DescriptionFile = "stored-report.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <param name="root">The folder that holds every organisation's reports (e.g. <c>VIGIL_HOME/reports</c>).</param>
    public ReportArchive(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>
    /// Builds the report exactly as <c>vigil report</c> does, writes it with its signed manifest and keeps both.
    /// Nothing is kept when building fails (a half-written report never shows in the list).
    /// </summary>
    /// <exception cref="InvalidRequestException">A bad --at, or --at with --snapshot.</exception>
    /// <exception cref="OperationException">Nothing synced, an unknown snapshot or campaign.</exception>
    public async Task<StoredReport> GenerateAsync(
        IVigilStore store, ReportFormat format, ReportSelection selection, string createdBy, ReportSigningKey key, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var folder = OrganisationFolder(store.Organisation);
        Directory.CreateDirectory(folder);
        var id = Guid.NewGuid().ToString("N");
        // Written in a hidden folder first, then moved into place: the list never shows a report without its manifest.
        var temporary = Path.Combine(folder, $".{id}.tmp");
        Directory.CreateDirectory(temporary);
        try
        {
            var now = time.GetUtcNow();
            var fileName = $"vigil-report-{now.UtcDateTime:yyyyMMdd-HHmmss}.{Extension(format)}";
            var written = await ReportWriter.WriteAsync(store, format, selection, Path.Combine(temporary, fileName), key, time, ct);
            var report = new StoredReport(id, format.Name(), fileName, Path.GetFileName(written.ManifestPath), new FileInfo(written.Path).Length,
                written.Sha256, written.KeyId, written.Report.SnapshotId, written.Report.SnapshotTakenAt, written.Report.Selection,
                written.Report.Review?.CampaignId, now, createdBy);
            await File.WriteAllTextAsync(Path.Combine(temporary, DescriptionFile), JsonSerializer.Serialize(report, Json), ct);
            Directory.Move(temporary, Path.Combine(folder, id));
            return report;
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>The organisation's reports, newest first (then by id): a stable order for paging.</summary>
    public Page<StoredReport> List(Organisation organisation, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = OrganisationFolder(organisation);
        var all = !Directory.Exists(folder)
            ? []
            : Directory.EnumerateDirectories(folder)
                .Select(d => Path.GetFileName(d))
                .Where(IsId)
                .Select(id => Find(organisation, id))
                .OfType<StoredReport>()
                .OrderByDescending(r => r.CreatedAt)
                .ThenBy(r => r.Id, StringComparer.Ordinal)
                .ToList();
        return Page<StoredReport>.Of(all, page);
    }

    /// <summary>One of the organisation's reports; null when there is none with this id (or the id is not one).</summary>
    public StoredReport? Find(Organisation organisation, string id)
    {
        if (!IsId(id))
        {
            return null;
        }

        var description = Path.Combine(OrganisationFolder(organisation), id, DescriptionFile);
        if (!File.Exists(description))
        {
            return null;
        }

        try
        {
            var report = JsonSerializer.Deserialize<StoredReport>(File.ReadAllText(description), Json);
            return report is not null && report.Id == id && IsPlainName(report.FileName) && IsPlainName(report.ManifestFileName) ? report : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The path of the report file (or, with <paramref name="manifest"/>, of its manifest).</summary>
    public string PathOf(Organisation organisation, StoredReport report, bool manifest = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Path.Combine(OrganisationFolder(organisation), report.Id, manifest ? report.ManifestFileName : report.FileName);
    }

    /// <summary>Checks a kept report against its manifest and the signature with <paramref name="trustedPublicKeyPem"/>.</summary>
    public ManifestCheck Verify(Organisation organisation, StoredReport report, string? trustedPublicKeyPem) =>
        ReportManifest.Verify(PathOf(organisation, report, manifest: true), trustedPublicKeyPem);

    /// <summary>
    /// Checks an uploaded report and manifest as <c>vigil report verify</c> checks files on disk: both are copied into a
    /// private temporary folder (the report under the name the manifest lists), checked, and deleted.
    /// </summary>
    /// <param name="reportName">The uploaded report's file name; used when the manifest lists no plain file name.</param>
    public static async Task<ManifestCheck> VerifyUploadAsync(Stream report, string reportName, Stream manifest, string? trustedPublicKeyPem, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(manifest);
        using var manifestCopy = new MemoryStream();
        await manifest.CopyToAsync(manifestCopy, ct);
        var listed = ListedName(manifestCopy.ToArray());
        var name = IsPlainName(listed) ? listed! : IsPlainName(Path.GetFileName(reportName)) ? Path.GetFileName(reportName) : "report";
        if (name.EndsWith(ReportManifest.Suffix, StringComparison.Ordinal))
        {
            throw new InvalidRequestException($"the report may not be named like a manifest ({ReportManifest.Suffix})", "report");
        }

        var folder = Directory.CreateTempSubdirectory("vigil-verify-").FullName;
        try
        {
            await using (var file = File.Create(Path.Combine(folder, name)))
            {
                await report.CopyToAsync(file, ct);
            }
            var manifestPath = Path.Combine(folder, name + ReportManifest.Suffix);
            await File.WriteAllBytesAsync(manifestPath, manifestCopy.ToArray(), ct);
            var check = ReportManifest.Verify(manifestPath, trustedPublicKeyPem);
            // The temporary folder means nothing to the caller: name the manifest as uploaded.
            return check with { ManifestPath = Path.GetFileName(manifestPath) };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The file extension of a format's report: html, csv, json, or ocsf.jsonl (one OCSF object per line).</summary>
    public static string Extension(ReportFormat format) => format == ReportFormat.Ocsf ? "ocsf.jsonl" : format.Name();

    private string OrganisationFolder(Organisation organisation)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        var id = organisation.Id;
        // An id that is not a plain folder name is hashed, so that no organisation can reach another's folder.
        var safe = id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? id
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return Path.Combine(Root, safe);
    }

    private static bool IsId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    private static bool IsPlainName(string? name) =>
        !string.IsNullOrWhiteSpace(name) && name == Path.GetFileName(name) && name is not ("." or "..") && name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0;

    private static string? ListedName(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("manifest", out var payload) && payload.ValueKind == JsonValueKind.Object
                && payload.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array && files.GetArrayLength() > 0
                && files[0].ValueKind == JsonValueKind.Object && files[0].TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String
                ? path.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
