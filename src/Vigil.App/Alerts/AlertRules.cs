using System.Globalization;
using Vigil.Core.Alerts;
using Vigil.Core.Checks;
using Vigil.Core.Reviews;
using Vigil.Core.Sync;

namespace Vigil.App.Alerts;

/// <summary>What the alert rules look at after one sync-and-evaluate.</summary>
/// <param name="Evaluation">The evaluation after the sync; null when nothing was evaluated (check conditions then stay as they were).</param>
/// <param name="Run">The sync run; null when there was none (the sync condition then stays as it was).</param>
/// <param name="Reviews">Every review campaign; null when the store keeps none (review conditions then stay as they were).</param>
/// <param name="RevocationSla">How long a revoke or change-role decision may take to show in Cloudflare.</param>
/// <param name="TimeZone">The organisation's time zone: a campaign is due at the end of its due day there.</param>
public sealed record AlertInputs(
    Evaluation? Evaluation,
    SyncRun? Run,
    ReviewState? Reviews,
    TimeSpan RevocationSla,
    TimeZoneInfo TimeZone,
    DateTimeOffset Now);

/// <summary>The alerts to send and how the remembered conditions change.</summary>
/// <param name="Held">Conditions to add or update.</param>
/// <param name="Cleared">Keys of conditions that no longer hold.</param>
public sealed record AlertPlan(IReadOnlyList<Alert> Alerts, IReadOnlyList<AlertCondition> Held, IReadOnlyList<string> Cleared);

/// <summary>
/// The alert rules: compare what holds now with the conditions remembered from the previous evaluation, and raise an
/// alert for each change only. A check that keeps failing with the same findings raises nothing; one that gains a
/// failing finding raises again; one that passes is forgotten, so failing again later raises again. Pure: no I/O.
/// </summary>
public static class AlertRules
{
    /// <summary>A campaign with undecided items is "due soon" from this many days before its due day.</summary>
    public const int DueSoonDays = 3;

    /// <summary>At most this many detail lines per alert; one more says how many were left out.</summary>
    public const int MaxDetails = 20;

    private const string CheckPrefix = "check:";
    private const string SyncKey = "sync";
    private const string RevocationPrefix = "revocation:";
    private const string DuePrefix = "review-due:";
    private const string OverduePrefix = "review-overdue:";

    public static AlertPlan Evaluate(AlertInputs inputs, IReadOnlyList<AlertCondition> previous, Func<string> newId)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var before = previous.ToDictionary(c => c.Key, StringComparer.Ordinal);
        var plan = new Builder(before, inputs.Now, newId);
        if (inputs.Evaluation is { } evaluation)
        {
            Checks(plan, evaluation, inputs.Run?.Id);
        }

        if (inputs.Run is { } run)
        {
            Sync(plan, run);
        }

        if (inputs.Reviews is { } reviews)
        {
            Revocations(plan, reviews, inputs);
            Due(plan, reviews, inputs);
        }

        return plan.Build();
    }

    private static void Checks(Builder plan, Evaluation evaluation, string? runId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in evaluation.Results)
        {
            var key = CheckPrefix + result.CheckId;
            seen.Add(key);
            switch (result.Status)
            {
                case CheckStatus.Fail:
                    break;
                case CheckStatus.Unknown:
                    // Could not be judged: neither a new failure nor a recovery.
                    continue;
                default:
                    plan.Clear(key);
                    continue;
            }

            var failing = result.Findings.Where(f => f.Status == FindingStatus.Fail).ToList();
            var keys = failing.Select(FindingKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var fingerprint = string.Join('\n', keys);
            var definition = CheckCatalog.Find(result.CheckId)?.Definition;
            var name = definition is null ? result.CheckId : $"{definition.Title} ({result.CheckId})";
            var severity = definition is null ? null : definition.Severity.ToString().ToLowerInvariant();
            if (plan.Previous(key) is not { } was)
            {
                plan.Raise(key, fingerprint, AlertKinds.CheckFailed, result.CheckId,
                    $"Check failing: {name}, {Count(failing.Count, "failing finding")}", Lines(failing.Select(Describe)), severity, runId);
                continue;
            }

            var known = was.Fingerprint.Split('\n').ToHashSet(StringComparer.Ordinal);
            var added = failing.Where(f => !known.Contains(FindingKey(f))).ToList();
            if (added.Count > 0)
            {
                plan.Raise(key, fingerprint, AlertKinds.CheckNewFindings, result.CheckId,
                    $"New failing findings: {name}, {Count(added.Count, "new failing finding")} ({failing.Count} in all)", Lines(added.Select(Describe)), severity, runId);
            }
            else if (was.Fingerprint != fingerprint)
            {
                // Fewer failing findings: remember the smaller set, so one that comes back is new again.
                plan.Hold(key, fingerprint);
            }
        }

        foreach (var key in plan.PreviousKeys(CheckPrefix).Where(k => !seen.Contains(k)))
        {
            plan.Clear(key); // the check is no longer evaluated (disabled or retired)
        }
    }

    private static void Sync(Builder plan, SyncRun run)
    {
        var failedStages = run.Stages.Where(s => s.Status == SyncStatus.Failed).ToList();
        if (run.Status == SyncStatus.Failed || failedStages.Count > 0)
        {
            if (plan.Previous(SyncKey) is null)
            {
                var lines = failedStages.Select(s => $"{Lower(s.Stage)} stage of connection {s.ConnectionId} failed: {s.Reason ?? "no reason recorded"}").ToList();
                var what = run.Status == SyncStatus.Failed ? "failed" : $"had {Count(failedStages.Count, "failed stage")}";
                plan.Raise(SyncKey, run.Id, AlertKinds.SyncFailed, run.Id,
                    $"Sync {run.Id} {what}" + (run.Reason is { Length: > 0 } reason ? $": {reason}" : ""), Lines(lines), null, run.Id);
            }
        }
        else if (run.Status is SyncStatus.Complete or SyncStatus.Partial)
        {
            plan.Clear(SyncKey);
        }
    }

    private static void Revocations(Builder plan, ReviewState reviews, AlertInputs inputs)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var review in reviews.Campaigns)
        {
            var fresh = new List<string>();
            foreach (var item in review.Items)
            {
                var verification = review.VerificationOf(item, inputs.Now, inputs.RevocationSla);
                if (verification.State is not (VerificationState.Overdue or VerificationState.Reappeared) || verification.Decision is not { } decision)
                {
                    continue;
                }

                var key = $"{RevocationPrefix}{review.Id}:{item.AccountId}:{item.MemberId}";
                var fingerprint = $"{Lower(verification.State)}:{decision.Id}";
                current.Add(key);
                if (plan.Previous(key)?.Fingerprint == fingerprint)
                {
                    continue;
                }

                plan.Hold(key, fingerprint);
                var decided = $"{(decision.Decision == DecisionKind.Revoke ? "revoke" : "change_role")} decided by {decision.By} on {Day(decision.At)}";
                fresh.Add(verification.State == VerificationState.Reappeared
                    ? $"{item.Label} in {item.AccountName}: {decided}; it was seen applied, then came back ({verification.Event?.Detail})"
                    : $"{item.Label} in {item.AccountName}: {decided}; not seen applied within {inputs.RevocationSla.TotalDays:0.#} days");
            }

            if (fresh.Count > 0)
            {
                plan.Alert(AlertKinds.RevocationOverdue, review.Id,
                    $"Review campaign '{review.Campaign.Name}': {Count(fresh.Count, "revocation")} overdue in Cloudflare", Lines(fresh), null);
            }
        }

        foreach (var key in plan.PreviousKeys(RevocationPrefix).Where(k => !current.Contains(k)))
        {
            plan.Clear(key);
        }
    }

    private static void Due(Builder plan, ReviewState reviews, AlertInputs inputs)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(inputs.Now, inputs.TimeZone).DateTime);
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var review in reviews.Campaigns)
        {
            if (review.Campaign.Due is not { } due || review.Campaign.Status is CampaignStatus.Completed or CampaignStatus.Cancelled)
            {
                continue;
            }

            var undecided = review.Items.Where(i => !review.IsDecided(i)).ToList();
            if (undecided.Count == 0)
            {
                continue;
            }

            var overdue = today > due;
            if (!overdue && due.DayNumber - today.DayNumber > DueSoonDays)
            {
                continue;
            }

            var key = (overdue ? OverduePrefix : DuePrefix) + review.Id;
            var fingerprint = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            current.Add(key);
            if (plan.Previous(key)?.Fingerprint == fingerprint)
            {
                continue;
            }

            plan.Hold(key, fingerprint);
            var days = due.DayNumber - today.DayNumber;
            var when = overdue ? $"overdue since {fingerprint}" : days == 0 ? $"due today ({fingerprint})" : $"due {fingerprint} (in {Count(days, "day")})";
            var lines = undecided.GroupBy(i => i.Reviewer, StringComparer.OrdinalIgnoreCase)
                .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => $"{g.Key}: {Count(g.Count(), "undecided item")}");
            plan.Alert(overdue ? AlertKinds.ReviewOverdue : AlertKinds.ReviewDueSoon, review.Id,
                $"Review campaign '{review.Campaign.Name}': {Count(undecided.Count, "undecided item")} {when}", Lines(lines), null);
        }

        foreach (var key in plan.PreviousKeys(DuePrefix).Concat(plan.PreviousKeys(OverduePrefix)).Where(k => !current.Contains(k)))
        {
            plan.Clear(key);
        }
    }

    private static string FindingKey(Finding f) => $"{f.ResourceType}|{f.AccountId}|{f.ResourceId}";

    private static string Describe(Finding f) => $"{f.Subject}: {f.Reason}";

    private static List<string> Lines(IEnumerable<string> lines)
    {
        var all = lines.ToList();
        return all.Count <= MaxDetails ? all : [.. all.Take(MaxDetails), $"... and {all.Count - MaxDetails} more"];
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private sealed class Builder(Dictionary<string, AlertCondition> before, DateTimeOffset now, Func<string> newId)
    {
        private readonly List<Alert> _alerts = [];
        private readonly Dictionary<string, AlertCondition> _held = new(StringComparer.Ordinal);
        private readonly HashSet<string> _cleared = new(StringComparer.Ordinal);

        public AlertCondition? Previous(string key) => before.GetValueOrDefault(key);

        public IEnumerable<string> PreviousKeys(string prefix) => before.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();

        public void Raise(string key, string fingerprint, string kind, string subject, string title, IReadOnlyList<string> details, string? severity, string? runId)
        {
            Hold(key, fingerprint);
            _alerts.Add(new Alert(newId(), kind, subject, title, details, now, severity, runId));
        }

        public void Alert(string kind, string subject, string title, IReadOnlyList<string> details, string? severity) =>
            _alerts.Add(new Alert(newId(), kind, subject, title, details, now, severity));

        public void Hold(string key, string fingerprint) =>
            _held[key] = new AlertCondition(key, fingerprint, before.GetValueOrDefault(key)?.Since ?? now);

        public void Clear(string key)
        {
            if (before.ContainsKey(key))
            {
                _cleared.Add(key);
            }
        }

        public AlertPlan Build() => new(_alerts, [.. _held.Values], [.. _cleared]);
    }
}
