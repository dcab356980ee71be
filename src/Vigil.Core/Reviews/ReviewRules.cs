using Vigil.Core.People;

namespace Vigil.Core.Reviews;

/// <summary>Who may do what to a campaign, and what a decision must carry. Every refusal says why and who may.</summary>
public static class ReviewRules
{
    /// <summary>The org role (in the staff directory) that may sign off a campaign besides its owner.</summary>
    public const string AdminOrgRole = "admin";

    /// <summary>A decision for <paramref name="item"/> made by <paramref name="by"/>.</summary>
    /// <param name="byAdministrator">
    /// <paramref name="by"/> is a Vigil administrator (web app role admin), who may decide any item, not only those
    /// assigned to them; the decision records the administrator as its maker, and nobody decides on their own access.
    /// </param>
    /// <exception cref="ReviewRuleException">The campaign is closed, the decision lacks a comment or roles, or <paramref name="by"/> may not decide it.</exception>
    public static ReviewDecision Decide(
        ReviewCampaign campaign, ReviewItem item, DecisionKind kind, IReadOnlyList<string> roles, string by, string? comment,
        DateTimeOffset at, string id, StaffDirectory? staff = null, bool byAdministrator = false)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(item);
        RequireOpen(campaign);
        var who = by.Trim();
        var text = comment?.Trim() is { Length: > 0 } c ? c : null;
        var decided = roles.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (kind is DecisionKind.Revoke or DecisionKind.ChangeRole && text is null)
        {
            throw new ReviewRuleException($"{Name(kind)} of {item.Label} needs a comment saying why (--comment TEXT)");
        }

        if (kind == DecisionKind.ChangeRole && decided.Count == 0)
        {
            throw new ReviewRuleException($"change_role of {item.Label} needs the Cloudflare role(s) to keep (--change-role \"ROLE\" [--role \"ROLE\" ...])");
        }

        if (kind != DecisionKind.ChangeRole && decided.Count > 0)
        {
            throw new ReviewRuleException($"roles are given only with change_role, not with {Name(kind)}");
        }

        RequireMayDecide(campaign, item, who, staff, byAdministrator);
        return new ReviewDecision(id, campaign.Id, item.AccountId, item.MemberId, kind, decided, who, at, text, campaign.Campaign.SnapshotId);
    }

    /// <summary>Checks that <paramref name="to"/> may take over the item and <paramref name="by"/> (the system owner) may hand it over.</summary>
    /// <exception cref="ReviewRuleException">Refused; the message says why.</exception>
    public static Reassignment Reassign(ReviewCampaign campaign, ReviewItem item, string to, string by, DateTimeOffset at, StaffDirectory? staff = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(item);
        RequireOpen(campaign);
        var owner = campaign.Campaign.Owner;
        if (owner is null || !Same(owner, by))
        {
            throw new ReviewRuleException(owner is null
                ? $"only the system owner may reassign, and campaign {campaign.Id} has none; set one with `vigil systems add {campaign.Campaign.System} --owner EMAIL` before starting a campaign, or start it with --owner"
                : $"{by.Trim()} may not reassign items of campaign {campaign.Id}; only the system owner {owner} may");
        }

        var target = to.Trim();
        if (target.Length == 0 || !target.Contains('@', StringComparison.Ordinal))
        {
            throw new ReviewRuleException($"'{to}' is not an email address");
        }

        if (ReviewerAssignment.IsSelf(target, item.MemberEmail, Person(item, staff)))
        {
            throw new ReviewRuleException($"{target} may not review their own access ({item.Label} in {item.AccountName})");
        }

        return new Reassignment(campaign.Id, item.AccountId, item.MemberId, item.Reviewer, target, by.Trim(), at);
    }

    /// <summary>The sign-off, when every item is decided and <paramref name="by"/> is the owner or an admin.</summary>
    /// <exception cref="ReviewRuleException">Refused; the message says why.</exception>
    public static CampaignSignOff Complete(ReviewCampaign campaign, string by, string statement, DateTimeOffset at, StaffDirectory? staff = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        RequireOpen(campaign);
        var who = by.Trim();
        var owner = campaign.Campaign.Owner;
        var isAdmin = staff?.FindByEmail(who) is { Status: PersonStatus.Active, OrgRole: { } role } && role.Equals(AdminOrgRole, StringComparison.OrdinalIgnoreCase);
        if (!(owner is not null && Same(owner, who)) && !isAdmin)
        {
            var admins = staff?.People.Where(p => p.Status == PersonStatus.Active && AdminOrgRole.Equals(p.OrgRole, StringComparison.OrdinalIgnoreCase)).Select(p => p.Email).ToList() ?? [];
            var may = (owner is null ? [] : new[] { $"the system owner {owner}" })
                .Concat(admins.Count == 0 ? [$"a person with org role '{AdminOrgRole}' in the staff directory (none today)"] : [$"an admin ({string.Join(", ", admins)})"]);
            throw new ReviewRuleException($"{who} may not sign off campaign {campaign.Id}; only {string.Join(" or ", may)} may");
        }

        var undecided = campaign.Items.Where(i => !campaign.IsDecided(i)).ToList();
        if (undecided.Count > 0)
        {
            throw new ReviewRuleException(
                $"campaign {campaign.Id} has {undecided.Count} undecided item{(undecided.Count == 1 ? "" : "s")} (deferred items count as undecided): " +
                string.Join(", ", undecided.Take(10).Select(i => $"{i.Label} in {i.AccountName} (reviewer {i.Reviewer})")) + (undecided.Count > 10 ? ", ..." : ""));
        }

        if (statement.Trim().Length == 0)
        {
            throw new ReviewRuleException("the sign-off needs a statement (--statement TEXT): the management acknowledgement of the review");
        }

        return new CampaignSignOff(who, at, statement.Trim());
    }

    /// <summary>"keep", "revoke", "change_role", "defer": as the CLI, the CSV and the JSON spell them.</summary>
    public static string Name(DecisionKind kind) => kind switch
    {
        DecisionKind.Keep => "keep",
        DecisionKind.Revoke => "revoke",
        DecisionKind.ChangeRole => "change_role",
        _ => "defer",
    };

    /// <summary>Reads "keep", "revoke", "change_role" (or "change-role"), "defer"; null for anything else.</summary>
    public static DecisionKind? ParseDecision(string text) => text.Trim().ToLowerInvariant() switch
    {
        "keep" => DecisionKind.Keep,
        "revoke" => DecisionKind.Revoke,
        "change_role" or "change-role" => DecisionKind.ChangeRole,
        "defer" => DecisionKind.Defer,
        _ => null,
    };

    private static void RequireMayDecide(ReviewCampaign campaign, ReviewItem item, string who, StaffDirectory? staff, bool byAdministrator)
    {
        var owner = campaign.Campaign.Owner;
        if (!byAdministrator && !Same(item.Reviewer, who) && !(owner is not null && Same(owner, who)))
        {
            var may = owner is null || Same(owner, item.Reviewer) ? $"its reviewer {item.Reviewer}" : $"its reviewer {item.Reviewer} or the system owner {owner}";
            throw new ReviewRuleException($"{who} may not decide on {item.Label} in {item.AccountName}; only {may} may");
        }

        if (ReviewerAssignment.IsSelf(who, item.MemberEmail, Person(item, staff)))
        {
            throw new ReviewRuleException($"{who} may not decide on their own access ({item.Label} in {item.AccountName}); the system owner may reassign it");
        }
    }

    private static void RequireOpen(ReviewCampaign campaign)
    {
        if (campaign.Campaign.Status is CampaignStatus.Completed or CampaignStatus.Cancelled)
        {
            throw new ReviewRuleException($"campaign {campaign.Id} is {(campaign.Campaign.Status == CampaignStatus.Completed ? "completed" : "cancelled")}; nothing more can be recorded in it");
        }
    }

    private static Person? Person(ReviewItem item, StaffDirectory? staff) => item.PersonEmail is { } email ? staff?.FindByEmail(email) : null;

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
