using Vigil.Core.Checks;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>
/// Which findings to list; every part is optional and parts combine with AND. Status and severity take one value or
/// several separated by commas.
/// </summary>
/// <param name="Status">pass, fail, skipped, unknown, excepted.</param>
/// <param name="Severity">low, medium, high, critical (the check's severity).</param>
/// <param name="Check">A check id, e.g. "cloudflare.zone-min-tls-1-2" (case-insensitive).</param>
/// <param name="Account">A Cloudflare account id or name.</param>
/// <param name="Zone">A zone id or name: the zone's own findings and those of its DNS records.</param>
public sealed record FindingFilter(string? Status = null, string? Severity = null, string? Check = null, string? Account = null, string? Zone = null);

/// <summary>One finding: what was judged, the verdict, why, and how to fix it.</summary>
/// <param name="Status">pass, fail, skipped, unknown or excepted.</param>
/// <param name="Severity">The check's severity: low, medium, high or critical.</param>
/// <param name="ResourceType">member, account, zone, system, snapshot, token or dns_record.</param>
/// <param name="Subject">What a person reads: member email, zone name, account name, record name.</param>
/// <param name="Why">The finding's reason, naming the resource and the value.</param>
/// <param name="HowToFix">The finding's own remediation, else the check's (for failures); null when nothing is to fix.</param>
/// <param name="ZoneId">The zone the finding is about (zone and DNS record findings); null otherwise.</param>
/// <param name="Exception">The vigil.yaml exception that excuses it (or expired); null when none.</param>
public sealed record FindingView(
    string CheckId,
    string CheckTitle,
    string Severity,
    string Status,
    string ResourceType,
    string ResourceId,
    string? AccountId,
    string? AccountName,
    string Subject,
    string? ZoneId,
    string? ZoneName,
    string Why,
    string? HowToFix,
    DateTimeOffset? ObservedAt,
    FindingException? Exception);

/// <summary>A page of findings and the evaluation they come from.</summary>
/// <param name="SnapshotId">The snapshot the evaluation judged; null before any evaluation.</param>
public sealed record FindingsPage(Page<FindingView> Page, string? SnapshotId, DateTimeOffset? EvaluatedAt);

/// <summary>The findings of an organisation's newest evaluation, filtered and paginated in a stable order.</summary>
public static class FindingsQuery
{
    /// <exception cref="InvalidRequestException">A filter value is not one the field accepts; <see cref="InvalidRequestException.Field"/> names it.</exception>
    public static async Task<FindingsPage> ListAsync(IVigilStore store, FindingFilter filter, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        page.Validate();
        var statuses = ParseSet<FindingStatus>(filter.Status, "status");
        var severities = ParseSet<Severity>(filter.Severity, "severity");
        var check = filter.Check?.Trim() is { Length: > 0 } c ? c : null;
        if (check is not null && CheckCatalog.Find(check) is null && !CheckCatalog.Retired.Contains(check, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"'{check}' is not a check id; list them with GET /api/v1/checks", "check");
        }

        var model = await ReadModel.LoadAsync(store, ct);
        var accounts = Resolve(filter.Account, model.AccountNames.Select(a => (a.Key, a.Value)));
        var zones = Resolve(filter.Zone, model.Zones.Values.Select(z => (z.Id, z.Name)));

        var matched = 0;
        var items = new List<FindingView>(Math.Min(page.Limit, 1024));
        foreach (var row in model.Findings)
        {
            if ((statuses is null || statuses.Contains(row.Finding.Status))
                && (severities is null || severities.Contains(row.Severity))
                && (check is null || string.Equals(row.CheckId, check, StringComparison.OrdinalIgnoreCase))
                && (accounts is null || (row.Finding.AccountId is { } account && accounts.Contains(account)))
                && (zones is null || (row.ZoneId is { } zone && zones.Contains(zone))))
            {
                if (matched >= page.Offset && items.Count < page.Limit)
                {
                    items.Add(View(model, row));
                }
                matched++;
            }
        }

        var next = page.Offset + items.Count < matched ? page.Offset + items.Count : (int?)null;
        return new FindingsPage(new Page<FindingView>(items, matched, page.Offset, page.Limit, next), model.Evaluation?.SnapshotId, model.Evaluation?.EvaluatedAt);
    }

    internal static FindingView View(ReadModel model, FindingRow row)
    {
        var f = row.Finding;
        return new FindingView(
            row.CheckId,
            row.Definition?.Title ?? row.CheckId,
            Text.Of(row.Severity),
            Text.Of(f.Status),
            f.ResourceType,
            f.ResourceId,
            f.AccountId,
            model.AccountName(f.AccountId),
            f.Subject,
            row.ZoneId,
            row.ZoneName,
            f.Reason,
            f.Remediation ?? (f.Status == FindingStatus.Fail ? row.Definition?.Remediation : null),
            f.ObservedAt,
            f.Exception);
    }

    /// <summary>Ids matching an id-or-name filter (case-insensitive name); null without a filter; empty when nothing matches.</summary>
    private static HashSet<string>? Resolve(string? value, IEnumerable<(string Id, string Name)> known)
    {
        if (value?.Trim() is not { Length: > 0 } wanted)
        {
            return null;
        }

        var ids = known.Where(k => string.Equals(k.Id, wanted, StringComparison.Ordinal) || string.Equals(k.Name, wanted, StringComparison.OrdinalIgnoreCase))
            .Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        // An id the snapshot no longer holds still matches findings stored under it.
        ids.Add(wanted);
        return ids;
    }

    internal static HashSet<T>? ParseSet<T>(string? value, string field) where T : struct, Enum
    {
        if (value?.Trim() is not { Length: > 0 } text)
        {
            return null;
        }

        var set = new HashSet<T>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = Enum.GetValues<T>().Where(v => string.Equals(Text.Of(v), part, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                throw new InvalidRequestException(
                    $"{field} '{part}' is not one of {string.Join(", ", Enum.GetValues<T>().Select(v => Text.Of(v)))}", field);
            }
            set.Add(match[0]);
        }

        return set;
    }
}

/// <summary>Enum values as the read models write them: snake_case.</summary>
internal static class Text
{
    public static string Of<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }
}
