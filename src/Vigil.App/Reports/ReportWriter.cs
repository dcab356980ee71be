using Vigil.Storage;

namespace Vigil.App.Reports;

/// <summary>A report written to disk with its signed manifest.</summary>
public sealed record WrittenReport(string Path, string ManifestPath, string Sha256, string KeyId, EvidenceReport Report);

/// <summary>
/// The operation behind <c>vigil report</c> (and the web app's report download): build the report, write it atomically,
/// write its signed manifest beside it, and keep the snapshots it cites out of retention pruning.
/// </summary>
public static class ReportWriter
{
    /// <summary>The holder name under which reports keep their snapshots from retention.</summary>
    public const string Holder = "report";

    /// <exception cref="OperationException">The output folder does not exist, or the report cannot be built (see <see cref="ReportBuilder"/>).</exception>
    public static async Task<WrittenReport> WriteAsync(
        IVigilStore store, ReportFormat format, ReportSelection selection, string outPath, ReportSigningKey key, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(outPath))
        {
            throw new InvalidRequestException("--out needs a file path", "out");
        }

        var path = Path.GetFullPath(outPath);
        if (path.EndsWith(ReportManifest.Suffix, StringComparison.Ordinal))
        {
            throw new InvalidRequestException($"--out may not end in {ReportManifest.Suffix}: that name is the manifest's", "out");
        }
        if (Directory.Exists(path))
        {
            throw new InvalidRequestException($"--out {path} is a folder; give a file path", "out");
        }
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            throw new OperationException($"the folder {folder} does not exist; create it first");
        }

        var report = await ReportBuilder.BuildAsync(store, selection, ct);

        // Both files go to temporary names first, so an interrupted run leaves the previous report and manifest whole.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var manifestPath = ReportManifest.PathFor(path);
        var manifestTemporary = $"{manifestPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                format.Write(report, file);
            }
            File.Move(temporary, path, overwrite: true);
            var manifest = ReportManifest.Create(report, format, path, key, time.GetUtcNow());
            await File.WriteAllTextAsync(manifestTemporary, manifest, ct);
            File.Move(manifestTemporary, manifestPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(manifestTemporary);
        }

        if (!store.IsReadOnly)
        {
            foreach (var snapshotId in report.SnapshotIds)
            {
                await store.HoldSnapshotAsync(snapshotId, Holder, ct);
            }
        }

        return new WrittenReport(path, manifestPath, ReportManifest.Sha256Of(path), key.KeyId, report);
    }
}
