using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;
using Vigil.Core.Systems;

namespace Vigil.Core.Checks;

/// <summary>
/// Everything a check may look at. Time is passed in (from the caller's TimeProvider), never read from the clock,
/// so a stored snapshot always gives the same result.
/// </summary>
/// <param name="system">The Cloudflare critical-system registration (<see cref="CriticalSystem.CloudflareName"/>); null when Cloudflare is not registered.</param>
/// <param name="now">The moment of evaluation.</param>
public sealed class EvaluationContext(Snapshot snapshot, IdentityResolver identities, CriticalSystem? system, CheckOptions options, DateTimeOffset now)
{
    private Dictionary<string, CloudflareAccount>? _accounts;

    public Snapshot Snapshot { get; } = snapshot;
    public IdentityResolver Identities { get; } = identities;
    public CriticalSystem? System { get; } = system;
    public CheckOptions Options { get; } = options;
    public DateTimeOffset Now { get; } = now;

    /// <summary>When each stage's data was read and whether its last sync failed; by default from the snapshot's commit times alone.</summary>
    public DataFreshness Data { get; init; } = DataFreshness.Of(snapshot);

    /// <summary>The organisation's dashboard-SSO declarations (`vigil accounts sso`), one per account at most; empty when none.</summary>
    public IReadOnlyList<SsoDeclaration> SsoDeclarations { get; init; } = [];

    /// <summary>Every access-review campaign with its items, decisions and verification events; empty when none.</summary>
    public ReviewState Reviews { get; init; } = ReviewState.Empty;

    /// <summary>Builds the context from what the stores hold.</summary>
    public static EvaluationContext Create(
        Snapshot snapshot,
        IEnumerable<Person> people,
        IEnumerable<IdentityMapping> mappings,
        CriticalSystem? system,
        DateTimeOffset now,
        CheckOptions? options = null,
        DataFreshness? data = null,
        IReadOnlyList<SsoDeclaration>? ssoDeclarations = null,
        ReviewState? reviews = null) =>
        new(snapshot, new IdentityResolver(new StaffDirectory(people), mappings), system, options ?? CheckOptions.Default, now)
        {
            Data = data ?? DataFreshness.Of(snapshot),
            SsoDeclarations = ssoDeclarations ?? [],
            Reviews = reviews ?? ReviewState.Empty,
        };

    /// <summary>The SSO declaration of this account; null when none was made.</summary>
    /// <remarks>A declaration made before the account was synced may name it by name; the id wins when both exist.</remarks>
    public SsoDeclaration? FindSsoDeclaration(string accountId) =>
        SsoDeclarations.LastOrDefault(d => string.Equals(d.AccountId, accountId, StringComparison.Ordinal))
        ?? (FindAccount(accountId) is { } account
            ? SsoDeclarations.LastOrDefault(d => string.Equals(d.AccountId.Trim(), account.Name.Trim(), StringComparison.OrdinalIgnoreCase))
            : null);

    public StaffDirectory Staff => Identities.Directory;

    /// <summary>The synced account with this id; null when it was not synced.</summary>
    public CloudflareAccount? FindAccount(string accountId)
    {
        _accounts ??= Snapshot.Accounts.DistinctBy(a => a.Id).ToDictionary(a => a.Id);
        return _accounts.GetValueOrDefault(accountId);
    }

    private Dictionary<string, Zone>? _zones;

    /// <summary>The synced zone with this id; null when it was not synced.</summary>
    public Zone? FindZone(string zoneId)
    {
        _zones ??= Snapshot.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, StringComparer.Ordinal);
        return _zones.GetValueOrDefault(zoneId);
    }

    private ILookup<string, DnsRecord>? _dnsRecords;
    private Dictionary<string, DateTimeOffset?>? _zonesObservedAt;
    private Dictionary<(string, string), DateTimeOffset?>? _membersObservedAt;

    /// <summary>When the zone was last read from Cloudflare (an incremental sync carries unchanged zones over); null when unknown.</summary>
    public DateTimeOffset? ZoneObservedAt(string zoneId)
    {
        _zonesObservedAt ??= Snapshot.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, z => z.ObservedAt, StringComparer.Ordinal);
        return _zonesObservedAt.GetValueOrDefault(zoneId);
    }

    /// <summary>When the membership was last read from Cloudflare; null when unknown.</summary>
    public DateTimeOffset? MemberObservedAt(string? accountId, string memberId)
    {
        _membersObservedAt ??= Snapshot.Members.DistinctBy(m => (m.AccountId, m.Id)).ToDictionary(m => (m.AccountId, m.Id), m => m.ObservedAt);
        return accountId is not null ? _membersObservedAt.GetValueOrDefault((accountId, memberId))
            : Snapshot.Members.FirstOrDefault(m => m.Id == memberId)?.ObservedAt;
    }

    /// <summary>The snapshot's DNS records of one zone (empty when none were read: see <see cref="ZoneFeatures.DnsRecordCount"/>), grouped once for all checks.</summary>
    public IEnumerable<DnsRecord> DnsRecordsOf(string zoneId)
    {
        _dnsRecords ??= (Snapshot.DnsRecords ?? []).ToLookup(r => r.ZoneId, StringComparer.Ordinal);
        return _dnsRecords[zoneId];
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _accountDescriptions = new(StringComparer.Ordinal);

    /// <summary>"account Acme (abc123)", or "account abc123" when the account itself was not synced. Built once per account: every membership finding names its account.</summary>
    public string DescribeAccount(string accountId) =>
        _accountDescriptions.GetOrAdd(accountId, id => FindAccount(id) is { } account ? $"account {account.Name} ({account.Id})" : $"account {id}");

    /// <summary>Descriptions of memberships ("j@x.com (membership in account ...)"), built once per membership for all the checks that name it.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<AccountMember, string> MemberDescriptions { get; } = new(ReferenceEqualityComparer.Instance);
}
