using System.Globalization;
using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Inventory;
using Vigil.Core.People;

namespace Vigil.Core.Reviews;

/// <summary>What `vigil review start` asked for.</summary>
/// <param name="Id">The new campaign's id.</param>
/// <param name="Owner">--owner, else the system's registered owner; null when neither.</param>
public sealed record CampaignRequest(
    string Id,
    string System,
    string? Name,
    DateOnly? Due,
    string? Owner,
    IReadOnlyList<string> Reviewers,
    bool AllowStale);

/// <summary>
/// Freezes an access snapshot into a campaign: one item per membership with what a reviewer needs (person, roles and
/// scope, 2FA, the risk flags the access checks raise), its reviewer, and what changed since the previous campaign.
/// </summary>
public static class CampaignPlanner
{
    /// <summary>Access data older than this cannot start a campaign without --allow-stale.</summary>
    public static readonly TimeSpan MaxDataAge = TimeSpan.FromHours(24);

    /// <summary>A pending invitation first seen longer ago than this is flagged.</summary>
    public static readonly TimeSpan StaleInviteAge = TimeSpan.FromDays(30);

    /// <summary>Why the access data is not fit to review (too old, or its last sync failed); null when it is.</summary>
    public static string? StaleReason(StageFreshness access, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(access);
        var reasons = new List<string>();
        if (access.SyncedAt is { } at && now - at > MaxDataAge)
        {
            reasons.Add($"the access data was read at {at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}, more than 24 h ago");
        }

        if (access.LastFailure is { } failure)
        {
            reasons.Add($"the last access sync failed: {failure}");
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>The campaign and its items (account order, then email).</summary>
    /// <param name="context">The snapshot to freeze, with the staff directory, mappings and system the checks use.</param>
    /// <param name="previous">The previous campaign of the same system; null for the first.</param>
    /// <param name="firstSeen">When each (account id, member id) was first synced.</param>
    /// <param name="staleReason">Why the data is stale, when <see cref="CampaignRequest.AllowStale"/> let it through.</param>
    /// <exception cref="ReviewRuleException">Some item would have no reviewer but the member themselves.</exception>
    public static (Campaign Campaign, IReadOnlyList<ReviewItem> Items) Plan(
        CampaignRequest request,
        EvaluationContext context,
        ReviewCampaign? previous,
        IReadOnlyDictionary<(string AccountId, string MemberId), DateTimeOffset> firstSeen,
        string? staleReason)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = context.Snapshot;
        var flags = FlagsFromChecks(context);
        var assignment = new ReviewerAssignment(request.Owner, request.Reviewers);
        var before = previous?.Items.ToDictionary(i => (i.AccountId, i.MemberId)) ?? [];
        var unassigned = new List<string>();
        var items = new List<ReviewItem>();

        var members = snapshot.Members
            .Where(m => m.IsAccess)
            .OrderBy(m => context.FindAccount(m.AccountId)?.Name ?? m.AccountId, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.AccountId, StringComparer.Ordinal)
            .ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.Id, StringComparer.Ordinal);
        foreach (var member in members)
        {
            var identity = context.Identities.Resolve(member);
            var person = identity is MemberIdentity.Identified identified ? identified.Person : null;
            var reviewer = assignment.Assign(member.Email, person);
            if (reviewer is null)
            {
                unassigned.Add(member.Label);
                continue;
            }

            var seen = firstSeen.TryGetValue((member.AccountId, member.Id), out var s) ? s : (DateTimeOffset?)null;
            if (before.TryGetValue((member.AccountId, member.Id), out var earlier) && earlier.FirstSeen is { } earlierSeen && (seen is null || earlierSeen < seen))
            {
                seen = earlierSeen;
            }

            var grants = MemberGrants.Of(context, member).Select(g => new ItemGrant(g.Name, g.Scope, g.ViaGroup)).ToList();
            var itemFlags = flags.TryGetValue((member.AccountId, member.Id), out var f) ? new List<string>(f) : [];
            if (MembershipFlags.IsSuperAdministrator(grants.Select(g => g.Name)))
            {
                itemFlags.Add(RiskFlags.SuperAdministrator);
            }

            if (MembershipFlags.IsStaleInvite(member, seen, context.Now))
            {
                itemFlags.Add(RiskFlags.StaleInvite);
            }

            var item = new ReviewItem(
                CampaignId: request.Id,
                AccountId: member.AccountId,
                AccountName: context.FindAccount(member.AccountId)?.Name ?? member.AccountId,
                MemberId: member.Id,
                UserId: member.UserId,
                MemberEmail: member.Email,
                Status: member.Status switch
                {
                    MembershipStatus.Accepted => "accepted",
                    MembershipStatus.Pending => "pending",
                    _ => member.StatusText ?? "other",
                },
                TwoFactorEnabled: member.TwoFactorEnabled,
                PersonEmail: person?.Email,
                PersonName: person?.Name,
                OrgRole: person?.OrgRole,
                ServiceAccount: identity is MemberIdentity.ServiceAccount service ? service.Justification : null,
                Grants: grants,
                FirstSeen: seen,
                RiskFlags: [.. itemFlags.Distinct(StringComparer.Ordinal)],
                Reviewer: reviewer,
                Change: ItemChange.New,
                Changes: []);
            items.Add(earlier is null ? item : Compare(item, earlier));
        }

        if (unassigned.Count > 0)
        {
            throw new ReviewRuleException(
                $"no reviewer for {unassigned.Count} member{(unassigned.Count == 1 ? "" : "s")} ({string.Join(", ", unassigned.Take(10))}{(unassigned.Count > 10 ? ", ..." : "")}): " +
                "they have no manager in the staff directory and no system owner or --reviewer other than themselves; " +
                $"name one with --owner EMAIL or --reviewer EMAIL, or set it with `vigil systems add {request.System} --owner EMAIL`");
        }

        var current = items.Select(i => (i.AccountId, i.MemberId)).ToHashSet();
        var removed = previous?.Items.Where(i => !current.Contains((i.AccountId, i.MemberId)))
            .Select(i => new RemovedMembership(i.AccountId, i.MemberId, i.MemberEmail)).ToList() ?? [];
        var name = request.Name is { Length: > 0 } n
            ? n.Trim()
            : $"{request.System} access review {context.Now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var campaign = new Campaign(
            Id: request.Id,
            System: request.System,
            Name: name,
            Status: CampaignStatus.Open,
            CreatedAt: context.Now,
            Due: request.Due,
            Owner: request.Owner is { Length: > 0 } owner ? owner.Trim() : null,
            Reviewers: [.. request.Reviewers.Select(r => r.Trim()).Where(r => r.Length > 0)],
            SnapshotId: snapshot.Id,
            AccessSyncedAt: snapshot.AccessSyncedAt,
            AllowStale: request.AllowStale,
            StaleReason: staleReason,
            PreviousCampaignId: previous?.Id,
            Removed: removed);
        return (campaign, items);
    }

    private static ReviewItem Compare(ReviewItem item, ReviewItem earlier)
    {
        var changes = new List<string>();
        if (!item.Grants.Select(g => g.Description).Order(StringComparer.OrdinalIgnoreCase)
                .SequenceEqual(earlier.Grants.Select(g => g.Description).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
        {
            changes.Add("roles");
        }

        if (item.TwoFactorEnabled != earlier.TwoFactorEnabled)
        {
            changes.Add("2fa");
        }

        if (!string.Equals(item.PersonEmail, earlier.PersonEmail, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(item.ServiceAccount, earlier.ServiceAccount, StringComparison.Ordinal))
        {
            changes.Add("person");
        }

        return item with { Change = changes.Count == 0 ? ItemChange.Unchanged : ItemChange.Changed, Changes = changes };
    }

    // The flags the access checks raise, from the checks themselves (their raw findings, before staleness is applied),
    // so that a review item and a check never disagree on what is wrong with a membership.
    private static Dictionary<(string, string), List<string>> FlagsFromChecks(EvaluationContext context)
    {
        var flags = new Dictionary<(string, string), List<string>>();
        foreach (var (checkId, flag) in MembershipFlags.FromChecks)
        {
            var check = CheckCatalog.Find(checkId)!;
            foreach (var finding in check.Evaluate(context).Where(f => f.Status == FindingStatus.Fail && f.ResourceType == ResourceTypes.Member && f.AccountId is not null))
            {
                var key = (finding.AccountId!, finding.ResourceId);
                if (!flags.TryGetValue(key, out var list))
                {
                    flags[key] = list = [];
                }
                list.Add(flag);
            }
        }

        return flags;
    }
}
