using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vigil.App.Reports;

/// <summary>
/// The signed manifest written beside every report (<c>PATH.manifest.json</c>): each file's SHA-256, the snapshot ids,
/// the campaign id and the hashes of the raw API responses the report came from, signed with the Vigil home's ECDSA
/// P-256 key. The signature covers the exact bytes of the <c>manifest</c> member as written, so verifying needs no
/// re-serialisation.
/// </summary>
public static class ReportManifest
{
    public const string Suffix = ".manifest.json";

    /// <summary>The manifest path of a report, or the path itself when it already names a manifest.</summary>
    public static string PathFor(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(Suffix, StringComparison.Ordinal) ? path : path + Suffix;
    }

    /// <summary>The manifest's text for one report file, signed.</summary>
    public static string Create(EvidenceReport report, ReportFormat format, string reportPath, ReportSigningKey key, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(key);
        var name = Path.GetFileName(reportPath);
        var bytes = new FileInfo(reportPath).Length;
        var payload = new JsonObject
        {
            ["vigil_manifest"] = EvidenceReport.FormatVersion,
            ["format"] = format.Name(),
            ["organisation"] = new JsonObject { ["id"] = report.OrganisationId, ["name"] = report.OrganisationName },
            ["snapshot_ids"] = new JsonArray([.. report.SnapshotIds.Select(s => (JsonNode)JsonValue.Create(s))]),
            ["campaign_id"] = report.Review?.CampaignId,
            ["signed_at"] = Text.Time(signedAt),
            ["files"] = new JsonArray(new JsonObject { ["path"] = name, ["bytes"] = bytes, ["sha256"] = Sha256Of(reportPath) }),
            ["api_responses"] = new JsonObject
            {
                ["access_sha256"] = report.Access.Sha256,
                ["infra_sha256"] = report.Infra.Sha256,
                ["campaign_access_sha256"] = report.Review?.Access.Sha256,
                ["responses"] = new JsonArray([.. report.Responses.Select(r => (JsonNode)new JsonObject
                {
                    ["run_id"] = r.RunId,
                    ["stage"] = r.Stage,
                    ["request"] = r.Request,
                    ["received_at"] = Text.Time(r.ReceivedAt),
                    ["sha256"] = r.Sha256,
                })]),
            },
        };
        var payloadText = payload.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var signature = new JsonObject
        {
            ["algorithm"] = ReportSigningKey.Algorithm,
            ["key_id"] = key.KeyId,
            ["public_key"] = key.PublicKeyPem,
            ["value"] = Convert.ToBase64String(key.Sign(Encoding.UTF8.GetBytes(payloadText))),
        };
        return "{\n\"manifest\": " + payloadText + ",\n\"signature\": " + signature.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n}\n";
    }

    /// <summary>SHA-256 of a file's bytes, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Checks the manifest's signature with <paramref name="trustedPublicKeyPem"/> and every file it lists against its
    /// SHA-256; names each problem.
    /// </summary>
    /// <param name="path">The report or its manifest.</param>
    /// <param name="trustedPublicKeyPem">The public key the manifest must be signed with (this Vigil's, or one given); null: none known, which is itself a failure.</param>
    public static ManifestCheck Verify(string path, string? trustedPublicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(path);
        var manifestPath = PathFor(Path.GetFullPath(path));
        if (!File.Exists(manifestPath))
        {
            throw new OperationException($"there is no manifest {manifestPath}: every report is written with one beside it");
        }

        var problems = new List<ManifestProblem>();
        var files = new List<ManifestFile>();
        string? keyId = null;
        string? signatureText;
        string? publicKey;
        string payloadText;
        JsonElement payload;
        using var document = ParseOrNull(File.ReadAllBytes(manifestPath));
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("manifest", out payload) || payload.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new ManifestProblem(Path.GetFileName(manifestPath), "the manifest is not a Vigil manifest (it does not parse, or has no 'manifest' object): the signature fails"));
            return new ManifestCheck(manifestPath, null, files, problems);
        }

        payloadText = payload.GetRawText();
        var signature = document.RootElement.TryGetProperty("signature", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        signatureText = signature.ValueKind == JsonValueKind.Object && signature.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        publicKey = signature.ValueKind == JsonValueKind.Object && signature.TryGetProperty("public_key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        keyId = publicKey is null ? null : ReportSigningKey.IdOf(publicKey);

        var manifestName = Path.GetFileName(manifestPath);
        if (trustedPublicKeyPem is null)
        {
            problems.Add(new ManifestProblem(manifestName, "no public key to check the signature with: this Vigil home has no report signing key; give the signer's public key with --key"));
        }
        else if (signatureText is null || !TryBase64(signatureText, out var signatureBytes))
        {
            problems.Add(new ManifestProblem(manifestName, "the manifest carries no signature: the signature fails"));
        }
        else if (!ReportSigningKey.Verify(trustedPublicKeyPem, Encoding.UTF8.GetBytes(payloadText), signatureBytes))
        {
            var trustedId = ReportSigningKey.IdOf(trustedPublicKeyPem);
            problems.Add(new ManifestProblem(manifestName, keyId is not null && trustedId is not null && keyId != trustedId
                ? $"the signature fails: the manifest names key {keyId}, not the trusted key {trustedId}"
                : "the signature fails: the manifest was altered after it was signed"));
        }

        var directory = Path.GetDirectoryName(manifestPath)!;
        if (payload.TryGetProperty("files", out var listed) && listed.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in listed.EnumerateArray())
            {
                var name = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
                var expected = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "";
                // Only files beside the manifest: a manifest cannot send the check to another folder.
                if (name.Length == 0 || name != Path.GetFileName(name) || name is "." or "..")
                {
                    problems.Add(new ManifestProblem(name, "the manifest lists a file outside its own folder; only files beside it are checked"));
                    continue;
                }

                var file = Path.Combine(directory, name);
                if (!File.Exists(file))
                {
                    problems.Add(new ManifestProblem(name, "missing: the manifest lists it but it is not there"));
                    continue;
                }

                var actual = Sha256Of(file);
                files.Add(new ManifestFile(name, expected, actual));
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new ManifestProblem(name, $"altered: its SHA-256 is {actual}, the manifest says {expected}"));
                }
            }
        }
        else
        {
            problems.Add(new ManifestProblem(manifestName, "the manifest lists no files"));
        }

        return new ManifestCheck(manifestPath, keyId, files, problems);
    }

    private static JsonDocument? ParseOrNull(byte[] bytes)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }
        return false;
    }
}

/// <summary>What verifying a manifest found.</summary>
/// <param name="KeyId">The key id of the public key the manifest names; null when it names none.</param>
/// <param name="Files">The files checked, with the hash listed and the hash found.</param>
/// <param name="Problems">Everything that failed, each naming its file; empty when the report is intact.</param>
public sealed record ManifestCheck(string ManifestPath, string? KeyId, IReadOnlyList<ManifestFile> Files, IReadOnlyList<ManifestProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

public sealed record ManifestFile(string Name, string Expected, string Actual);

public sealed record ManifestProblem(string File, string Problem);
