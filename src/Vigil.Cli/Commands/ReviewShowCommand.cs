using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core.Reviews;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil review show CAMPAIGN [--format json]</c>: progress (decided / total, by reviewer), overdue items, what changed
/// since the previous campaign, and every item with its latest decision and verification state.
/// </summary>
internal static class ReviewShowCommand
{
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Build()
    {
        var campaign = ReviewCommand.CampaignArgument();
        var format = ChecksCommand.FormatOption();
        var command = new Command("show", "Show a campaign's progress and every item with its decision and verification") { campaign, format };
        command.SetAction((parse, ct) => ShowAsync(parse.GetValue(campaign)!, parse.GetValue(format) == "json", ct));
        return command;
    }

    private static async Task<int> ShowAsync(string campaignId, bool json, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var reviews = ReviewCommand.Reviews(store);
        var campaign = await ReviewCommand.LoadAsync(reviews, campaignId, ct);
        var sla = await ReviewCommand.SlaAsync(store, ct);
        var now = TimeProvider.System.GetUtcNow();
        var report = ToJson(campaign, now, sla, (await store.LoadCurrentSnapshotAsync(ct))?.AuditLog);
        if (json)
        {
            Console.WriteLine(report.ToJsonString(Indented));
            return ExitCodes.Ok;
        }

        Print(campaign, report, now, sla);
        return ExitCodes.Ok;
    }

    /// <summary>The campaign as the JSON contract of the README writes it.</summary>
    internal static JsonObject ToJson(ReviewCampaign review, DateTimeOffset now, TimeSpan sla, IReadOnlyList<Vigil.Core.Sync.AuditLogEntry>? auditLog = null)
    {
        var c = review.Campaign;
        var items = new JsonArray();
        var overdueCount = 0;
        foreach (var item in review.Items)
        {
            var decision = review.LatestDecision(item);
            var verification = review.VerificationOf(item, now, sla);
            var overdue = IsOverdue(review, item, now, verification);
            // Who removed a revoked membership, from the audit log (null when no entry records it).
            var removal = verification.State == VerificationState.Verified && verification.Decision is { Decision: DecisionKind.Revoke } revoked
                ? Vigil.Core.Sync.AuditLogMembership.FindRemoval(auditLog, item.AccountId, item.MemberId, revoked.At, verification.VerifiedAt ?? now)
                : null;
            overdueCount += overdue ? 1 : 0;
            items.Add(new JsonObject
            {
                ["account_id"] = item.AccountId,
                ["account_name"] = item.AccountName,
                ["member_id"] = item.MemberId,
                ["member_email"] = item.MemberEmail,
                ["person"] = item.PersonEmail,
                ["person_name"] = item.PersonName,
                ["org_role"] = item.OrgRole,
                ["service_account"] = item.ServiceAccount,
                ["roles"] = new JsonArray([.. item.Grants.Select(g => (JsonNode)new JsonObject { ["name"] = g.Name, ["scope"] = g.Scope, ["via_group"] = g.ViaGroup })]),
                ["two_factor"] = item.TwoFactorEnabled,
                ["status"] = item.Status,
                ["first_seen"] = ReviewCommand.Time(item.FirstSeen),
                ["risk_flags"] = new JsonArray([.. item.RiskFlags.Select(f => (JsonNode)JsonValue.Create(f))]),
                ["reviewer"] = item.Reviewer,
                ["change"] = Render.Lower(item.Change),
                ["changes"] = new JsonArray([.. item.Changes.Select(f => (JsonNode)JsonValue.Create(f))]),
                ["decision"] = decision is null ? null : new JsonObject
                {
                    ["decision"] = ReviewRules.Name(decision.Decision),
                    ["by"] = decision.By,
                    ["at"] = ReviewCommand.Time(decision.At),
                    ["comment"] = decision.Comment,
                    ["roles"] = new JsonArray([.. decision.Roles.Select(r => (JsonNode)JsonValue.Create(r))]),
                    ["snapshot_id"] = decision.SnapshotId,
                },
                ["verification"] = ReviewCommand.VerificationText(verification.State),
                ["verified_at"] = ReviewCommand.Time(verification.VerifiedAt),
                ["verified_snapshot_id"] = verification.State == VerificationState.Verified ? verification.Event?.SnapshotId : null,
                ["verification_detail"] = verification.Event?.Detail,
                ["elapsed_seconds"] = verification.VerifiedAt is { } at && verification.Decision is { } d ? (long?)(at - d.At).TotalSeconds : null,
                ["removed_by"] = removal?.Entry.Actor,
                ["removed_at"] = ReviewCommand.Time(removal?.Entry.Time),
                ["overdue"] = overdue,
            });
        }

        var byReviewer = new JsonArray();
        foreach (var group in review.Items.GroupBy(i => i.Reviewer, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
        {
            byReviewer.Add(new JsonObject { ["reviewer"] = group.Key, ["decided"] = group.Count(review.IsDecided), ["total"] = group.Count() });
        }

        return new JsonObject
        {
            ["campaign_id"] = c.Id,
            ["name"] = c.Name,
            ["system"] = c.System,
            ["status"] = ReviewCommand.StatusText(review.Status),
            ["created_at"] = ReviewCommand.Time(c.CreatedAt),
            ["due"] = c.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["owner"] = c.Owner,
            ["reviewers"] = new JsonArray([.. c.Reviewers.Select(r => (JsonNode)JsonValue.Create(r))]),
            ["snapshot_id"] = c.SnapshotId,
            ["access_synced_at"] = ReviewCommand.Time(c.AccessSyncedAt),
            ["allow_stale"] = c.AllowStale,
            ["stale_reason"] = c.StaleReason,
            ["previous_campaign_id"] = c.PreviousCampaignId,
            ["revocation_sla_days"] = sla.TotalDays,
            ["progress"] = new JsonObject { ["decided"] = review.DecidedCount, ["total"] = review.Items.Count, ["by_reviewer"] = byReviewer },
            ["overdue_items"] = overdueCount,
            ["removed_since_previous"] = new JsonArray([.. c.Removed.Select(r => (JsonNode)new JsonObject
            {
                ["account_id"] = r.AccountId,
                ["member_id"] = r.MemberId,
                ["member_email"] = r.MemberEmail,
            })]),
            ["sign_off"] = c.SignOff is { } s ? new JsonObject { ["by"] = s.By, ["at"] = ReviewCommand.Time(s.At), ["statement"] = s.Statement } : null,
            ["items"] = items,
        };
    }

    /// <summary>Undecided after the campaign's due day, or a revocation not verified within the SLA.</summary>
    private static bool IsOverdue(ReviewCampaign review, ReviewItem item, DateTimeOffset now, ItemVerification verification) =>
        verification.State is VerificationState.Overdue or VerificationState.Reappeared
        || (!review.IsDecided(item) && review.Campaign.Due is { } due && review.Campaign.Status != CampaignStatus.Completed
            && DateOnly.FromDateTime(now.UtcDateTime) > due);

    private static void Print(ReviewCampaign review, JsonObject report, DateTimeOffset now, TimeSpan sla)
    {
        var c = review.Campaign;
        Console.WriteLine($"Campaign {c.Id}: {c.Name} ({ReviewCommand.StatusText(review.Status)})");
        Console.WriteLine($"  system {c.System}, owner {c.Owner ?? "none"}, due {c.Due?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "not set"}, snapshot {c.SnapshotId} (access data read {ReviewCommand.Time(c.AccessSyncedAt)})");
        if (c.AllowStale)
        {
            Console.WriteLine($"  started with --allow-stale: {c.StaleReason}");
        }
        Console.WriteLine($"  progress: {review.DecidedCount}/{review.Items.Count} decided; {report["overdue_items"]} overdue");
        if (c.PreviousCampaignId is { } previous)
        {
            Console.WriteLine($"  since campaign {previous}: {review.Items.Count(i => i.Change == ItemChange.New)} new, {review.Items.Count(i => i.Change == ItemChange.Changed)} changed, {c.Removed.Count} removed" +
                (c.Removed.Count == 0 ? "" : $" ({string.Join(", ", c.Removed.Take(10).Select(r => r.MemberEmail))})"));
        }
        if (c.SignOff is { } signOff)
        {
            Console.WriteLine($"  signed off by {signOff.By} at {ReviewCommand.Time(signOff.At)}: {signOff.Statement}");
        }

        var reviewers = Render.Table("reviewer", "decided", "total");
        foreach (var row in report["progress"]!["by_reviewer"]!.AsArray())
        {
            reviewers.AddRow(row!["reviewer"]!.GetValue<string>(), row["decided"]!.ToJsonString(), row["total"]!.ToJsonString());
        }
        Render.Write(reviewers);

        var table = Render.Table("member", "account", "roles", "flags", "reviewer", "change", "decision", "verification");
        foreach (var item in review.Items)
        {
            var decision = review.LatestDecision(item);
            var verification = review.VerificationOf(item, now, sla);
            var decided = decision is null ? "" : $"{ReviewRules.Name(decision.Decision)}{(decision.Roles.Count > 0 ? $" ({string.Join(", ", decision.Roles)})" : "")} by {decision.By}";
            var verified = verification.State == VerificationState.None ? "" : ReviewCommand.VerificationText(verification.State) +
                (verification.VerifiedAt is { } at ? $" {ReviewCommand.Time(at)}" : "");
            table.AddRow(item.Label, item.AccountName, string.Join(", ", item.Grants.Select(g => g.Name).Distinct(StringComparer.OrdinalIgnoreCase)),
                string.Join(", ", item.RiskFlags), item.Reviewer, Render.Lower(item.Change), decided, verified);
        }
        Render.Write(table);
    }
}
