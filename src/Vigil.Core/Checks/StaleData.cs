using System.Globalization;
using Vigil.Core.Sync;

namespace Vigil.Core.Checks;

/// <summary>
/// Judges every check's findings by the age of the data they came from, in one place so that no check can forget:
/// each finding gets the time its data was read; data older than <see cref="CheckOptions.MaxDataAge"/> turns the
/// findings unknown (never pass); a failed last sync of still-fresh data leaves the findings as they are and adds a note.
/// </summary>
internal static class StaleData
{
    public const string SyncAgain = "Run `vigil sync` to read current data; `vigil runs` shows why recent syncs did not refresh it.";

    /// <summary>
    /// The judgement of one check's findings by the age of its data, decided once per check so that each finding is
    /// judged as the check yields it (<see cref="CheckRunner"/>): no second pass over the findings.
    /// </summary>
    public static Judgement For(DataNeeds needs, EvaluationContext context)
    {
        var stages = DataNeedsStages.StagesOf(needs);
        if (stages.Count == 0)
        {
            // Only data kept in Vigil itself (staff, systems): read now.
            return new Judgement(context, JudgementKind.Local, null, null, []);
        }

        var read = stages.Select(s => (Stage: s, Data: context.Data.For(s))).ToList();
        // A check that reads both stages judged data as old as the older of the two.
        var observed = read.Select(r => r.Data.SyncedAt).Where(t => t is not null).Min();

        var stale = read.Where(r => r.Data.AgeAt(context.Now) is { } age && age > context.Options.MaxDataAge).ToList();
        var notes = new List<string>();
        foreach (var (stage, data) in read)
        {
            var isStale = stale.Any(s => s.Stage == stage);
            if (isStale || data.LastFailure is not null)
            {
                notes.Add(Describe(stage, data, context.Options.MaxDataAge, isStale));
            }
        }

        if (stale.Count == 0)
        {
            return new Judgement(context, JudgementKind.Fresh, observed, null, notes);
        }

        var why = string.Join("; ", stale.Select(s => Describe(s.Stage, s.Data, context.Options.MaxDataAge, stale: true)));
        return new Judgement(context, JudgementKind.Stale, observed, why, notes);
    }

    internal enum JudgementKind
    {
        /// <summary>The check reads only data kept in Vigil: observed now.</summary>
        Local,
        /// <summary>The stages read are fresh; a resource read too long ago (carried over by an incremental sync) is still judged per finding.</summary>
        Fresh,
        /// <summary>A stage read is too old: every finding turns unknown.</summary>
        Stale,
    }

    /// <summary>How the findings of one check are judged by the age of their data; <see cref="Notes"/> say what the reader should know about the whole result.</summary>
    internal sealed class Judgement(EvaluationContext context, JudgementKind kind, DateTimeOffset? observed, string? why, IReadOnlyList<string> notes)
    {
        public IReadOnlyList<string> Notes { get; } = notes;

        /// <summary>
    /// The finding with the time its data was read, unknown when that data is too old to judge. The finding is one the check
    /// has just yielded: the time is set on it rather than on a copy.
    /// </summary>
        public Finding Judge(Finding f)
        {
            switch (kind)
            {
                case JudgementKind.Local:
                    return f.ObservedAt is null ? f.Observed(context.Now) : f;
                case JudgementKind.Fresh:
                    // An incremental sync carries unchanged rows over with their own last-read time: each finding takes its
                    // resource's, and a resource read too long ago turns its finding unknown even when the stage is fresh.
                    var resourceRead = ResourceObservedAt(f, context);
                    var finding = f.ObservedAt is null && (resourceRead ?? observed) is { } at ? f.Observed(at) : f;
                    if (resourceRead is { } readAt && context.Now - readAt > context.Options.MaxDataAge && finding.Status != FindingStatus.Unknown)
                    {
                        var age = context.Options.MaxDataAge.TotalHours.ToString("0.##", CultureInfo.InvariantCulture);
                        return finding with
                        {
                            Status = FindingStatus.Unknown,
                            Reason = $"this {f.ResourceType}'s data from {Time(readAt)} is older than {age} h (on that data: {f.Status.ToString().ToLowerInvariant()}, {f.Reason})",
                            Remediation = SyncAgain,
                        };
                    }
                    return finding;
                default:
                    return f with
                    {
                        Status = FindingStatus.Unknown,
                        Reason = $"{why} (on that data: {f.Status.ToString().ToLowerInvariant()}, {f.Reason})",
                        Remediation = SyncAgain,
                        ObservedAt = f.ObservedAt ?? observed,
                    };
            }
        }
    }

    /// <summary>When the resource a finding judges was last read from Cloudflare (zones and memberships carry it); null when not known.</summary>
    private static DateTimeOffset? ResourceObservedAt(Finding finding, EvaluationContext context) => finding.ResourceType switch
    {
        ResourceTypes.Zone => context.ZoneObservedAt(finding.ResourceId),
        ResourceTypes.Member => context.MemberObservedAt(finding.AccountId, finding.ResourceId),
        _ => null,
    };

    /// <summary>"access data from 2026-09-01 10:00 UTC is older than 48 h", or "access data from ...; the last sync of this stage failed: ...".</summary>
    private static string Describe(SyncStageKind stage, StageFreshness data, TimeSpan maxAge, bool stale)
    {
        var from = data.SyncedAt is { } at ? $"{Name(stage)} data from {Time(at)}" : $"no {Name(stage)} data synced yet";
        var age = stale ? $" is older than {maxAge.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)} h" : "";
        var failure = data.LastFailure is { } reason ? $"; the last sync of this stage failed: {reason}" : "";
        return from + age + failure;
    }

    private static string Name(SyncStageKind stage) => stage == SyncStageKind.Access ? "access" : "infrastructure";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
