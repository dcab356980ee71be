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
    public SsoDeclaration? FindSsoDeclaration(string accountId) => SsoDeclarations.Count == 0 ? null :
        SsoDeclarations.LastOrDefault(d => string.Equals(d.AccountId, accountId, StringComparison.Ordinal))
        ?? (FindAccount(accountId) is { } account
            ? SsoDeclarations.LastOrDefault(d => string.Equals(d.AccountId.Trim(), account.Name.Trim(), StringComparison.OrdinalIgnoreCase))
            : null);

    public StaffDirectory Staff => Identities.Directory;

    /// <summary>The synced account with this id; null when it was not synced.</summary>
    public CloudflareAccount? FindAccount(string accountId) =>
        (Volatile.Read(ref _accounts) ?? Publish(ref _accounts, Snapshot.Accounts.DistinctBy(a => a.Id).ToDictionary(a => a.Id))).GetValueOrDefault(accountId);

    /// <summary>
    /// Publishes an index built on first use. Checks may run on several threads at once: two may build the same index,
    /// and all then use the first one published (each is complete and never changed after).
    /// </summary>
    private static T Publish<T>(ref T? field, T built) where T : class => Interlocked.CompareExchange(ref field, built, null) ?? built;

    private Dictionary<string, Zone>? _zones;

    /// <summary>The synced zone with this id; null when it was not synced.</summary>
    public Zone? FindZone(string zoneId) =>
        (Volatile.Read(ref _zones) ?? Publish(ref _zones, Snapshot.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, StringComparer.Ordinal))).GetValueOrDefault(zoneId);

    private Dictionary<string, DnsRecord[]>? _dnsRecords;
    private Dictionary<string, DateTimeOffset?>? _zonesObservedAt;
    private MembersObserved? _membersObservedAt;

    private CommonReadTime? _zonesReadTogether;
    private CommonReadTime? _membersReadTogether;

    /// <summary>
    /// When a zone the snapshot lists was last read from Cloudflare (an incremental sync carries unchanged zones over);
    /// null when unknown. Asked once per zone finding: when every zone was read at the same time, as in a full sync,
    /// that is the answer without a lookup.
    /// </summary>
    public DateTimeOffset? ZoneObservedAt(string zoneId)
    {
        var together = Volatile.Read(ref _zonesReadTogether) ?? Publish(ref _zonesReadTogether, CommonReadTime.Of(Snapshot.Zones, z => z.ObservedAt));
        return together != CommonReadTime.Differ ? together.At
            : (Volatile.Read(ref _zonesObservedAt) ?? Publish(ref _zonesObservedAt,
                Snapshot.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, z => z.ObservedAt, StringComparer.Ordinal))).GetValueOrDefault(zoneId);
    }

    /// <summary>When a membership the snapshot lists was last read from Cloudflare; null when unknown. Like <see cref="ZoneObservedAt"/>, without a lookup when all were read together.</summary>
    public DateTimeOffset? MemberObservedAt(string? accountId, string memberId)
    {
        var together = Volatile.Read(ref _membersReadTogether) ?? Publish(ref _membersReadTogether, CommonReadTime.Of(Snapshot.Members, m => m.ObservedAt));
        return together != CommonReadTime.Differ ? together.At
            : accountId is not null
                ? (Volatile.Read(ref _membersObservedAt) ?? Publish(ref _membersObservedAt, new MembersObserved(Snapshot.Members))).Of(accountId, memberId)
                : Snapshot.Members.FirstOrDefault(m => m.Id == memberId)?.ObservedAt;
    }

    /// <summary>The read time that every one of a list of resources shares, or <see cref="Differ"/> when they were not all read at the same moment.</summary>
    private sealed class CommonReadTime(DateTimeOffset? at)
    {
        public static readonly CommonReadTime Differ = new(null);

        public DateTimeOffset? At { get; } = at;

        public static CommonReadTime Of<T>(IReadOnlyList<T> resources, Func<T, DateTimeOffset?> readAt)
        {
            if (resources.Count == 0)
            {
                return Differ;
            }
            var first = readAt(resources[0]);
            for (var i = 1; i < resources.Count; i++)
            {
                // The same moment written the same way: the time goes into every finding as it is.
                var other = readAt(resources[i]);
                if (other.HasValue != first.HasValue || (first is { } a && !a.EqualsExact(other!.Value)))
                {
                    return Differ;
                }
            }
            return new CommonReadTime(first);
        }
    }

    /// <summary>
    /// When each membership was read, by account and membership id (the first listed wins). Asked once per finding on a
    /// membership, so it is keyed by the membership id alone when no id repeats across accounts (Cloudflare's never do).
    /// </summary>
    private sealed class MembersObserved
    {
        private readonly Dictionary<string, (string AccountId, DateTimeOffset? At)>? _byId;
        private readonly Dictionary<(string, string), DateTimeOffset?>? _byAccountAndId;

        public MembersObserved(IReadOnlyList<AccountMember> members)
        {
            var byId = new Dictionary<string, (string AccountId, DateTimeOffset? At)>(members.Count, StringComparer.Ordinal);
            foreach (var member in members)
            {
                if (!byId.TryAdd(member.Id, (member.AccountId, member.ObservedAt)) && !string.Equals(byId[member.Id].AccountId, member.AccountId, StringComparison.Ordinal))
                {
                    _byAccountAndId = members.DistinctBy(m => (m.AccountId, m.Id)).ToDictionary(m => (m.AccountId, m.Id), m => m.ObservedAt);
                    return;
                }
            }
            _byId = byId;
        }

        public DateTimeOffset? Of(string accountId, string memberId) => _byId is not null
            ? _byId.TryGetValue(memberId, out var read) && string.Equals(read.AccountId, accountId, StringComparison.Ordinal) ? read.At : null
            : _byAccountAndId!.GetValueOrDefault((accountId, memberId));
    }

    /// <summary>The snapshot's DNS records of one zone (empty when none were read: see <see cref="ZoneFeatures.DnsRecordCount"/>), grouped once for all checks.</summary>
    public IEnumerable<DnsRecord> DnsRecordsOf(string zoneId) => DnsRecordListOf(zoneId);

    /// <summary><see cref="DnsRecordsOf"/> as a list, in the snapshot's order; the same list for every check that asks.</summary>
    internal IReadOnlyList<DnsRecord> DnsRecordListOf(string zoneId) =>
        (Volatile.Read(ref _dnsRecords) ?? Publish(ref _dnsRecords, (Snapshot.DnsRecords ?? []).GroupBy(r => r.ZoneId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal))).GetValueOrDefault(zoneId) ?? [];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _accountDescriptions = new(StringComparer.Ordinal);

    /// <summary>"account Acme (abc123)", or "account abc123" when the account itself was not synced. Built once per account: every membership finding names its account.</summary>
    public string DescribeAccount(string accountId) =>
        _accountDescriptions.GetOrAdd(accountId, id => FindAccount(id) is { } account ? $"account {account.Name} ({account.Id})" : $"account {id}");

    private Access.MemberFacts? _memberFacts;
    private readonly Lock _memberFactsLock = new();

    /// <summary>
    /// What the access checks look up for every membership (its description, identity and grants), built once per
    /// evaluation for all of them: on first use, or by <see cref="Prepare"/> over several cores.
    /// </summary>
    internal Access.MemberFacts MemberFacts
    {
        get
        {
            if (Volatile.Read(ref _memberFacts) is { } facts)
            {
                return facts;
            }
            lock (_memberFactsLock)
            {
                return _memberFacts ??= Access.MemberFacts.Build(this, parallelism: 1);
            }
        }
    }

    /// <summary>
    /// Builds what the checks about to run will share (see <see cref="MemberFacts"/>) before they run, using up to
    /// <paramref name="parallelism"/> threads; a context never prepared builds the same on first use, on one thread.
    /// </summary>
    internal void Prepare(DataNeeds needs, int parallelism)
    {
        if ((needs & DataNeeds.Members) == 0 || Volatile.Read(ref _memberFacts) is not null)
        {
            return;
        }
        lock (_memberFactsLock)
        {
            _memberFacts ??= Access.MemberFacts.Build(this, parallelism);
        }
    }
}
