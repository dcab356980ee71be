namespace Vigil.Core.Reviews;

/// <summary>
/// A campaign with everything recorded about it: its items, every decision (append-only) and every verification event.
/// Derives what is not stored: the status between open and completed, progress, each item's latest decision and its
/// verification state at a given moment.
/// </summary>
public sealed class ReviewCampaign
{
    private readonly Dictionary<(string, string), ReviewDecision> _latest = [];
    private readonly Dictionary<string, List<VerificationEvent>> _events = new(StringComparer.Ordinal);
    private ILookup<string, ReviewItem>? _byEmail;

    public ReviewCampaign(Campaign campaign, IReadOnlyList<ReviewItem> items, IReadOnlyList<ReviewDecision> decisions, IReadOnlyList<VerificationEvent> verifications)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        Campaign = campaign;
        Items = items;
        Decisions = [.. decisions.OrderBy(d => d.Seq).ThenBy(d => d.At)];
        Verifications = verifications;
        foreach (var decision in Decisions)
        {
            _latest[(decision.AccountId, decision.MemberId)] = decision;
        }

        foreach (var verification in verifications.OrderBy(v => v.RecordedAt))
        {
            if (!_events.TryGetValue(verification.DecisionId, out var list))
            {
                _events[verification.DecisionId] = list = [];
            }
            list.Add(verification);
        }
    }

    public Campaign Campaign { get; }
    public IReadOnlyList<ReviewItem> Items { get; }

    /// <summary>Every decision in the order recorded.</summary>
    public IReadOnlyList<ReviewDecision> Decisions { get; }
    public IReadOnlyList<VerificationEvent> Verifications { get; }

    public string Id => Campaign.Id;

    /// <summary>The item's latest decision (later ones supersede); null when undecided.</summary>
    public ReviewDecision? LatestDecision(ReviewItem item) => _latest.GetValueOrDefault((item.AccountId, item.MemberId));

    /// <summary>Decided = a latest decision other than defer.</summary>
    public bool IsDecided(ReviewItem item) => LatestDecision(item) is { Decision: not DecisionKind.Defer };

    public int DecidedCount => Items.Count(IsDecided);

    /// <summary>The status as shown: completed and cancelled as stored; otherwise open, in review or awaiting sign-off by the decisions.</summary>
    public CampaignStatus Status => Campaign.Status switch
    {
        CampaignStatus.Completed or CampaignStatus.Cancelled => Campaign.Status,
        _ when Items.Count > 0 && DecidedCount == Items.Count => CampaignStatus.AwaitingSignoff,
        _ when _latest.Count > 0 => CampaignStatus.InReview,
        _ when Items.Count == 0 => CampaignStatus.AwaitingSignoff,
        _ => CampaignStatus.Open,
    };

    /// <summary>The verification events recorded for this decision, oldest first.</summary>
    public IReadOnlyList<VerificationEvent> EventsOf(ReviewDecision decision) =>
        _events.TryGetValue(decision.Id, out var list) ? list : [];

    /// <summary>The item's verification state at <paramref name="now"/> with this SLA (zero: any unverified revocation is overdue at once).</summary>
    public ItemVerification VerificationOf(ReviewItem item, DateTimeOffset now, TimeSpan sla)
    {
        if (LatestDecision(item) is not { Decision: DecisionKind.Revoke or DecisionKind.ChangeRole } decision)
        {
            return new ItemVerification(VerificationState.None, null, null, null);
        }

        var last = EventsOf(decision).LastOrDefault();
        if (last is not null)
        {
            return new ItemVerification(last.State, decision, last, last.State == VerificationState.Verified ? last.ObservedAt : null);
        }

        var state = now - decision.At >= sla ? VerificationState.Overdue : VerificationState.PendingRemoval;
        return new ItemVerification(state, decision, null, null);
    }

    /// <summary>The item for this member email (case-insensitive), narrowed to an account id or name when given.</summary>
    /// <exception cref="ReviewRuleException">No item, or several accounts and none named.</exception>
    public ReviewItem FindItem(string memberEmail, string? account)
    {
        var email = memberEmail.Trim();
        // Indexed once: a bulk file of thousands of lines looks items up by email without scanning them all each time.
        _byEmail ??= Items.ToLookup(i => i.MemberEmail.Trim(), StringComparer.OrdinalIgnoreCase);
        var matches = _byEmail[email].ToList();
        if (matches.Count == 0)
        {
            matches = Items.Where(i => string.Equals(i.MemberId, email, StringComparison.Ordinal)).ToList();
        }
        if (matches.Count == 0)
        {
            throw new ReviewRuleException($"campaign {Id} has no item for {email}");
        }

        if (account is { Length: > 0 } named)
        {
            var inAccount = matches.Where(i => string.Equals(i.AccountId, named.Trim(), StringComparison.Ordinal)
                                               || string.Equals(i.AccountName, named.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            return inAccount.Count == 1
                ? inAccount[0]
                : throw new ReviewRuleException($"{email} has no item in account '{named}' of campaign {Id}; its accounts: {Accounts(matches)}");
        }

        return matches.Count == 1
            ? matches[0]
            : throw new ReviewRuleException($"{email} is a member of several accounts in campaign {Id}; name one with --account: {Accounts(matches)}");
    }

    private static string Accounts(IEnumerable<ReviewItem> items) => string.Join(", ", items.Select(i => $"{i.AccountId} ({i.AccountName})"));
}

/// <summary>An item's verification at one moment.</summary>
/// <param name="Decision">The revoke or change-role decision verified; null when the state is None.</param>
/// <param name="Event">The latest verification event; null while pending or overdue.</param>
/// <param name="VerifiedAt">When the access data that showed it applied was read; null unless verified.</param>
public sealed record ItemVerification(VerificationState State, ReviewDecision? Decision, VerificationEvent? Event, DateTimeOffset? VerifiedAt);

/// <summary>Every review campaign of the organisation, as handed to the checks.</summary>
public sealed record ReviewState(IReadOnlyList<ReviewCampaign> Campaigns)
{
    public static ReviewState Empty { get; } = new([]);

    /// <summary>The campaigns of one system, oldest first.</summary>
    public IEnumerable<ReviewCampaign> Of(string system) =>
        Campaigns.Where(c => string.Equals(c.Campaign.System, system, StringComparison.OrdinalIgnoreCase)).OrderBy(c => c.Campaign.CreatedAt);
}
