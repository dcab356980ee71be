using System.CommandLine;
using Vigil.App.Reports;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil report --format html|csv|json|ocsf [--at DATE|--snapshot ID] [--review CAMPAIGN] --out PATH</c>: writes
/// reproducible evidence with a signed manifest beside it; <c>vigil report key</c> prints the signing key's public key;
/// <c>vigil report verify PATH</c> checks a report against its manifest. The work is in <see cref="ReportWriter"/>.
/// </summary>
internal static class ReportCommand
{
    public static Command Build()
    {
        var format = new Option<string?>("--format") { Description = "html, csv, json or ocsf (OCSF 1.6.0 Compliance Findings, one JSON object per line)" };
        var at = new Option<string?>("--at") { Description = "Report the snapshot current at this date (YYYY-MM-DD, the end of that day in the organisation's time zone) or time (ISO-8601 with offset)" };
        var snapshot = new Option<string?>("--snapshot") { Description = "Report this snapshot (a sync run id from 'vigil runs')" };
        var review = new Option<string?>("--review") { Description = "Include this access-review campaign: every item with its decisions, reviewer, sign-off and verification" };
        var output = new Option<string?>("--out") { Description = "The report file to write; its signed manifest is written beside it as PATH.manifest.json" };
        var command = new Command("report", "Write evidence (HTML, CSV, JSON or OCSF) with a signed manifest; 'report key' prints the public key, 'report verify' checks a report")
        {
            format, at, snapshot, review, output, BuildKey(), BuildVerify(),
        };
        command.SetAction(async (parse, ct) =>
        {
            var formatName = parse.GetValue(format);
            var outPath = parse.GetValue(output);
            if (formatName is null || outPath is null)
            {
                throw new UsageException($"vigil report needs {(formatName is null ? "--format html|csv|json|ocsf" : "")}{(formatName is null && outPath is null ? " and " : "")}{(outPath is null ? "--out PATH" : "")}");
            }
            var chosen = ReportFormats.Parse(formatName);
            await using var store = await CliStore.OpenAsync(ct);
            using var key = ReportSigningKey.LoadOrCreate(VigilHome.Resolve());
            var written = await ReportWriter.WriteAsync(store, chosen, new ReportSelection(parse.GetValue(at), parse.GetValue(snapshot), parse.GetValue(review)),
                outPath, key, TimeProvider.System, ct);
            var r = written.Report;
            Console.WriteLine($"Wrote the {chosen.Name()} report {written.Path} (SHA-256 {written.Sha256}) on snapshot {r.SnapshotId} " +
                              $"(taken {r.SnapshotTakenAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC){(r.Review is { } c ? $" with campaign {c.CampaignId}" : "")}{CliStore.Describe(store.Organisation)}.");
            Console.WriteLine($"Manifest {written.ManifestPath}, signed with key {written.KeyId}; check it with 'vigil report verify {written.Path}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildKey()
    {
        var command = new Command("key", "Print the public key (PEM) that report manifests are signed with; creates the key on first use");
        command.SetAction(_ =>
        {
            using var key = ReportSigningKey.LoadOrCreate(VigilHome.Resolve());
            Console.Write(key.PublicKeyPem.EndsWith('\n') ? key.PublicKeyPem : key.PublicKeyPem + "\n");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command BuildVerify()
    {
        var path = new Argument<string>("PATH") { Description = "The report (or its .manifest.json)" };
        var publicKey = new Option<string?>("--key") { Description = "A file with the signer's public key (PEM, from 'vigil report key'); default: this Vigil home's key" };
        var command = new Command("verify", "Check a report's files against its manifest and the manifest's signature; names anything altered (exit 1)") { path, publicKey };
        command.SetAction(parse =>
        {
            string? trusted;
            if (parse.GetValue(publicKey) is { } keyFile)
            {
                trusted = File.Exists(keyFile) ? File.ReadAllText(keyFile) : throw new UsageException($"--key: there is no file {keyFile}");
            }
            else
            {
                using var own = ReportSigningKey.Find(VigilHome.Locate());
                trusted = own?.PublicKeyPem;
            }

            var check = ReportManifest.Verify(parse.GetValue(path)!, trusted);
            foreach (var file in check.Files.Where(f => string.Equals(f.Expected, f.Actual, StringComparison.OrdinalIgnoreCase)))
            {
                Console.WriteLine($"ok       {file.Name} (SHA-256 {file.Actual})");
            }
            foreach (var problem in check.Problems)
            {
                Console.WriteLine($"ALTERED  {problem.File}: {problem.Problem}");
            }
            if (check.Ok)
            {
                Console.WriteLine($"Verified: {check.Files.Count} file(s) match the manifest {check.ManifestPath}, and its signature is valid (key {check.KeyId}).");
                return ExitCodes.Ok;
            }

            Console.Error.WriteLine($"vigil: verification failed: {string.Join("; ", check.Problems.Select(p => $"{p.File}: {p.Problem}"))}");
            return ExitCodes.Error;
        });
        return command;
    }
}
