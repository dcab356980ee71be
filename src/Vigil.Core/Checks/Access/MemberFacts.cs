using Vigil.Core.Inventory;
using Vigil.Core.People;

namespace Vigil.Core.Checks.Access;

/// <summary>
/// What several access checks look up for every membership of the snapshot, built once per evaluation (see
/// <see cref="EvaluationContext.MemberFacts"/>): the description every reason starts with, who the member is, and what
/// the member can do. With 100,000 memberships judged by half a dozen checks, looking these up again per check costs
/// more than the judgements themselves. Read-only once built, so the checks may read it from several threads.
/// </summary>
internal sealed class MemberFacts
{
    /// <summary>Below this many memberships, building on one thread is cheaper than sharing the work.</summary>
    private const int ParallelThreshold = 4_096;

    private readonly EvaluationContext _context;
    private readonly Dictionary<AccountMember, int> _positions;
    private readonly string[] _descriptions;
    private readonly MemberIdentity[] _identities;
    private readonly IReadOnlyList<MemberGrants.Grant>[] _grants;

    /// <summary>The ids of the accounts that list at least one membership.</summary>
    public IReadOnlySet<string> AccountsWithMembers { get; }

    private MemberFacts(EvaluationContext context, Dictionary<AccountMember, int> positions, int count)
    {
        _context = context;
        _positions = positions;
        _descriptions = new string[count];
        _identities = new MemberIdentity[count];
        _grants = new IReadOnlyList<MemberGrants.Grant>[count];
        AccountsWithMembers = context.Snapshot.Members.Select(m => m.AccountId).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Builds the facts of every membership of the context's snapshot, sharing the work among up to <paramref name="parallelism"/> threads.</summary>
    public static MemberFacts Build(EvaluationContext context, int parallelism)
    {
        var members = context.Snapshot.Members;
        // By reference: two equal records are still two memberships (the checks judge each one the snapshot lists).
        var positions = new Dictionary<AccountMember, int>(members.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < members.Count; i++)
        {
            positions.TryAdd(members[i], i);
        }

        var facts = new MemberFacts(context, positions, members.Count);
        if (parallelism > 1 && members.Count >= ParallelThreshold)
        {
            var chunk = (members.Count + (parallelism * 4) - 1) / (parallelism * 4);
            Parallel.For(0, (members.Count + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                c => facts.Fill(members, c * chunk, Math.Min(members.Count, (c + 1) * chunk)));
        }
        else
        {
            facts.Fill(members, 0, members.Count);
        }
        return facts;
    }

    private void Fill(IReadOnlyList<AccountMember> members, int from, int to)
    {
        var grants = new MemberGrants.Builder(_context);
        for (var i = from; i < to; i++)
        {
            var member = members[i];
            _descriptions[i] = Memberships.DescribeOnce(_context, member);
            _identities[i] = _context.Identities.ResolveOnceFor(member);
            _grants[i] = grants.Build(member);
        }
    }

    /// <summary>"j@x.com (membership in account Acme (abc))"; see <see cref="Memberships.Describe"/>.</summary>
    public string Description(AccountMember member) =>
        _positions.TryGetValue(member, out var i) ? _descriptions[i] : Memberships.DescribeOnce(_context, member);

    /// <summary>Who the member is, as <see cref="IdentityResolver.Resolve(AccountMember)"/> says.</summary>
    public MemberIdentity Identity(AccountMember member) =>
        _positions.TryGetValue(member, out var i) ? _identities[i] : _context.Identities.Resolve(member);

    /// <summary>What the member can do; see <see cref="MemberGrants.Of"/>.</summary>
    public IReadOnlyList<MemberGrants.Grant> Grants(AccountMember member) =>
        _positions.TryGetValue(member, out var i) ? _grants[i] : MemberGrants.Build(_context, member);
}
