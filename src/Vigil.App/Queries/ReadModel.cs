using System.Collections.Concurrent;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>
/// The current snapshot and the newest evaluation of one organisation, flattened once into what the queries filter
/// (findings in a stable order with their zone, per-member flags). Rebuilt only when the store's
/// <see cref="DataVersion"/> changes, so a warm page of findings costs one small statement and an in-memory scan.
/// </summary>
internal sealed class ReadModel
{
    private ReadModel(DataVersion version, Snapshot? snapshot, Evaluation? evaluation, FindingRow[] findings)
    {
        Version = version;
        Snapshot = snapshot;
        Evaluation = evaluation;
        Findings = findings;
        AccountNames = snapshot?.Accounts.DistinctBy(a => a.Id).ToDictionary(a => a.Id, a => a.Name, StringComparer.Ordinal) ?? [];
        Zones = snapshot?.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, StringComparer.Ordinal) ?? [];
        _memberFlags = new Lazy<Dictionary<(string, string), List<string>>>(BuildMemberFlags);
        _zoneFindings = new Lazy<ILookup<string, FindingRow>>(() => Findings.Where(f => f.Finding.ResourceType == ResourceTypes.Zone).ToLookup(f => f.Finding.ResourceId, StringComparer.Ordinal));
        _grants = new Lazy<Dictionary<(string, string), IReadOnlyList<MembershipGrant>>>(BuildGrants);
    }

    public DataVersion Version { get; }
    public Snapshot? Snapshot { get; }
    public Evaluation? Evaluation { get; }

    /// <summary>Every finding of the evaluation, in its stable order: check by check as evaluated, then as each check produced them.</summary>
    public FindingRow[] Findings { get; }

    public IReadOnlyDictionary<string, string> AccountNames { get; }

    /// <summary>Pass/fail per check of <see cref="Evaluation"/>, set by <see cref="ChecksQuery"/> the first time it is asked.</summary>
    public ChecksSummary? ChecksSummary { get; set; }
    public IReadOnlyDictionary<string, Zone> Zones { get; }

    private readonly Lazy<Dictionary<(string, string), List<string>>> _memberFlags;
    private readonly Lazy<ILookup<string, FindingRow>> _zoneFindings;
    private readonly Lazy<Dictionary<(string, string), IReadOnlyList<MembershipGrant>>> _grants;

    /// <summary>The flags failing access checks raise on a membership (account id, member id), as review items carry them.</summary>
    public IReadOnlyList<string> FlagsFromChecks(string accountId, string memberId) =>
        _memberFlags.Value.TryGetValue((accountId, memberId), out var flags) ? flags : [];

    public IEnumerable<FindingRow> FindingsOfZone(string zoneId) => _zoneFindings.Value[zoneId];

    public IReadOnlyList<MembershipGrant> GrantsOf(AccountMember member) =>
        _grants.Value.TryGetValue((member.AccountId, member.Id), out var grants) ? grants : [];

    public string? AccountName(string? accountId) => accountId is not null && AccountNames.TryGetValue(accountId, out var name) ? name : null;

    private Dictionary<(string, string), List<string>> BuildMemberFlags()
    {
        var flagOf = MembershipFlags.FromChecks.ToDictionary(s => s.CheckId, s => s.Flag, StringComparer.Ordinal);
        var flags = new Dictionary<(string, string), List<string>>();
        foreach (var row in Findings)
        {
            if (row.Finding is { Status: FindingStatus.Fail, ResourceType: ResourceTypes.Member, AccountId: { } account }
                && flagOf.TryGetValue(row.CheckId, out var flag))
            {
                var key = (account, row.Finding.ResourceId);
                if (!flags.TryGetValue(key, out var list))
                {
                    flags[key] = list = [];
                }
                if (!list.Contains(flag))
                {
                    list.Add(flag);
                }
            }
        }

        return flags;
    }

    private Dictionary<(string, string), IReadOnlyList<MembershipGrant>> BuildGrants()
    {
        var grants = new Dictionary<(string, string), IReadOnlyList<MembershipGrant>>();
        if (Snapshot is null)
        {
            return grants;
        }

        // Grants read only the snapshot (account and zone names), never the directory: built once per snapshot.
        var context = EvaluationContext.Create(Snapshot, [], [], null, Snapshot.TakenAt);
        foreach (var member in Snapshot.Members)
        {
            grants.TryAdd((member.AccountId, member.Id), MembershipFlags.GrantsOf(context, member));
        }

        return grants;
    }

    /// <summary>The model for the store's organisation: the cached one while its data version holds, else rebuilt.</summary>
    public static async Task<ReadModel> LoadAsync(IVigilStore store, CancellationToken ct)
    {
        var key = $"{store.Engine}|{store.Location}|{store.Organisation.Id}";
        var slot = Slots.GetOrAdd(key, _ => new Slot());
        var version = await store.ReadDataVersionAsync(ct);
        if (slot.Model is { } cached && cached.Version == version)
        {
            return cached;
        }

        await slot.Gate.WaitAsync(ct);
        try
        {
            if (slot.Model is { } built && built.Version == version)
            {
                return built;
            }

            var previous = slot.Model;
            var sameSnapshot = previous is not null && previous.Version.LastCommit == version.LastCommit
                && previous.Version.LastRemoval == version.LastRemoval && previous.Version.Connections == version.Connections;
            var snapshot = sameSnapshot ? previous!.Snapshot : await store.LoadCurrentSnapshotAsync(ct);
            var evaluation = previous is not null && previous.Version.LastEvaluation == version.LastEvaluation
                ? previous.Evaluation
                : version.EvaluatedSnapshotId is { } snapshotId ? await store.LoadLatestEvaluationAsync(snapshotId, ct) : null;
            var model = new ReadModel(version, snapshot, evaluation, Flatten(evaluation, snapshot));
            if (Slots.Count > MaxOrganisations)
            {
                // A server works on a handful of organisations; past that, start over rather than grow without bound.
                Slots.Clear();
                Slots[key] = slot;
            }
            slot.Model = model;
            return model;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    private const int MaxOrganisations = 32;
    private static readonly ConcurrentDictionary<string, Slot> Slots = new(StringComparer.Ordinal);

    private sealed class Slot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public volatile ReadModel? Model;
    }

    private static FindingRow[] Flatten(Evaluation? evaluation, Snapshot? snapshot)
    {
        if (evaluation is null)
        {
            return [];
        }

        var zonesById = snapshot?.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, StringComparer.Ordinal) ?? [];
        // A DNS finding names its record; the record's zone comes from the snapshot's records.
        var zoneOfRecord = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in snapshot?.DnsRecords ?? [])
        {
            zoneOfRecord.TryAdd(record.Name, record.ZoneId);
        }

        var rows = new List<FindingRow>();
        for (var c = 0; c < evaluation.Results.Count; c++)
        {
            var result = evaluation.Results[c];
            var definition = CheckCatalog.Find(result.CheckId)?.Definition;
            foreach (var finding in result.Findings)
            {
                string? zoneId = finding.ResourceType switch
                {
                    ResourceTypes.Zone => finding.ResourceId,
                    ResourceTypes.DnsRecord => zoneOfRecord.GetValueOrDefault(finding.ResourceId),
                    _ => null,
                };
                var zone = zoneId is not null ? zonesById.GetValueOrDefault(zoneId) : null;
                rows.Add(new FindingRow(rows.Count, c, result.CheckId, definition, finding, zoneId, zone?.Name));
            }
        }

        return [.. rows];
    }
}

/// <summary>One finding with what the filters compare, computed once.</summary>
internal sealed record FindingRow(int Order, int CheckIndex, string CheckId, CheckDefinition? Definition, Finding Finding, string? ZoneId, string? ZoneName)
{
    public Severity Severity => Definition?.Severity ?? Severity.Low;
}
