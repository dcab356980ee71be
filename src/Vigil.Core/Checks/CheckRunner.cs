namespace Vigil.Core.Checks;

/// <summary>Runs checks over a snapshot and turns their findings into results.</summary>
public static class CheckRunner
{
    /// <summary>
    /// Evaluates <paramref name="checks"/> (default: the checks of <see cref="CheckCatalog.All"/> that
    /// <see cref="CheckOptions.EnabledChecks"/> enables) against the context's snapshot, sharing the checks among the
    /// machine's cores; the results come in the order of <paramref name="checks"/>, exactly as one core would give them.
    /// </summary>
    public static Evaluation Evaluate(EvaluationContext context, IEnumerable<ICheck>? checks = null) =>
        Evaluate(context, checks, Environment.ProcessorCount);

    /// <summary>
    /// <see cref="Evaluate(EvaluationContext, IEnumerable{ICheck})"/> on up to <paramref name="parallelism"/> threads (1:
    /// on the caller's thread alone). Checks are independent and pure: each reads the snapshot and what the context
    /// builds once for all of them (thread-safe), and its result goes to its own slot, so the order never depends on
    /// which finished first.
    /// </summary>
    internal static Evaluation Evaluate(EvaluationContext context, IEnumerable<ICheck>? checks, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(context);
        var enabled = context.Options.EnabledChecks;
        checks ??= enabled is null ? CheckCatalog.All : CheckCatalog.All.Where(c => enabled.Contains(c.Definition.Id));
        var list = checks.ToList();
        var results = new CheckResult[list.Count];
        var workers = Math.Min(parallelism, list.Count);
        if (workers <= 1)
        {
            var findings = new List<Finding>();
            for (var i = 0; i < list.Count; i++)
            {
                results[i] = Run(list[i], context, findings);
            }
            return new Evaluation(context.Snapshot.Id, context.Now, results, context.Data);
        }

        // What several checks share (each membership's description, identity and grants) is built first, on every core.
        context.Prepare(list.Aggregate(DataNeeds.None, (needs, check) => needs | check.Definition.Needs), workers);
        // The costliest checks first (one finding per membership, then per DNS record), so that no core is left with a
        // long check at the end; each worker takes the next check as soon as it is free.
        var order = Enumerable.Range(0, list.Count).OrderByDescending(i => CostRank(list[i].Definition.Needs)).ThenBy(i => i).ToArray();
        var next = -1;
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                var findings = new List<Finding>();
                for (var k = Interlocked.Increment(ref next); k < order.Length; k = Interlocked.Increment(ref next))
                {
                    results[order[k]] = Run(list[order[k]], context, findings);
                }
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            // As on one thread: the defect itself, not a wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
        }
        return new Evaluation(context.Snapshot.Id, context.Now, results, context.Data);
    }

    /// <summary>
    /// Fail when any finding fails; else Unknown when any is Unknown; else Excepted when any failure is excused by an
    /// exception; else Pass (Skipped findings say what did not apply).
    /// A check without findings judged nothing, which is not evidence of compliance: Unknown.
    /// </summary>
    public static CheckStatus StatusOf(IReadOnlyCollection<Finding> findings)
    {
        if (findings.Count == 0)
        {
            return CheckStatus.Unknown;
        }

        // One pass: a check may hold a finding per membership.
        bool unknown = false, excepted = false;
        foreach (var finding in findings)
        {
            switch (finding.Status)
            {
                case FindingStatus.Fail:
                    return CheckStatus.Fail;
                case FindingStatus.Unknown:
                    unknown = true;
                    break;
                case FindingStatus.Excepted:
                    excepted = true;
                    break;
            }
        }

        return unknown ? CheckStatus.Unknown : excepted ? CheckStatus.Excepted : CheckStatus.Pass;
    }

    /// <summary>A rough rank of a check's cost by the data it walks: memberships, then DNS records, then zones, then the rest.</summary>
    private static int CostRank(DataNeeds needs) =>
        (needs & DataNeeds.Members) != 0 ? 3 : (needs & DataNeeds.DnsRecords) != 0 ? 2 : (needs & DataNeeds.Zones) != 0 ? 1 : 0;

    /// <param name="findings">A buffer the findings are gathered in, reused from check to check (empty on entry and on return): a check
    /// yields up to one finding per membership, and a list grown for each would leave several discarded arrays behind.</param>
    private static CheckResult Run(ICheck check, EvaluationContext context, List<Finding> findings)
    {
        // The age of the data is judged here, for every check alike: stale data never passes. Each finding is judged as
        // the check yields it, so the check's own finding is garbage at once rather than a second copy kept alive.
        var judgement = StaleData.For(check.Definition.Needs, context);
        Finding[] judged;
        try
        {
            foreach (var finding in check.Evaluate(context))
            {
                findings.Add(judgement.Judge(finding));
            }
            judged = [.. findings];
        }
        catch (Exception ex)
        {
            // A defect in one check must not hide the results of the others; it shows as Unknown, never as Pass.
            judged =
            [
                judgement.Judge(new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, context.Snapshot.Id, null, "snapshot",
                    $"the check could not be evaluated: {ex.GetType().Name}: {ex.Message}", "Report this as a Vigil defect.")),
            ];
        }
        finally
        {
            findings.Clear();
        }

        // Exceptions too, after the age of the data: an exception excuses a failure, never data too old to judge.
        var excused = Configuration.Exceptions.Apply(check.Definition.Id, judged, context.Options.Exceptions, context.Now, context.Options.TimeZone);
        var notes = judgement.Notes;
        return new CheckResult(check.Definition.Id, StatusOf(excused), excused, notes.Count == 0 ? null : notes);
    }
}
