namespace Vigil.Core.Checks;

/// <summary>Runs checks over a snapshot and turns their findings into results.</summary>
public static class CheckRunner
{
    /// <summary>
    /// Evaluates <paramref name="checks"/> (default: the checks of <see cref="CheckCatalog.All"/> that
    /// <see cref="CheckOptions.EnabledChecks"/> enables) against the context's snapshot.
    /// </summary>
    public static Evaluation Evaluate(EvaluationContext context, IEnumerable<ICheck>? checks = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var enabled = context.Options.EnabledChecks;
        checks ??= enabled is null ? CheckCatalog.All : CheckCatalog.All.Where(c => enabled.Contains(c.Definition.Id));
        var results = checks.Select(check => Run(check, context)).ToList();
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

        if (findings.Any(f => f.Status == FindingStatus.Fail))
        {
            return CheckStatus.Fail;
        }

        if (findings.Any(f => f.Status == FindingStatus.Unknown))
        {
            return CheckStatus.Unknown;
        }

        return findings.Any(f => f.Status == FindingStatus.Excepted) ? CheckStatus.Excepted : CheckStatus.Pass;
    }

    private static CheckResult Run(ICheck check, EvaluationContext context)
    {
        IReadOnlyList<Finding> findings;
        try
        {
            findings = check.Evaluate(context).ToList();
        }
        catch (Exception ex)
        {
            // A defect in one check must not hide the results of the others; it shows as Unknown, never as Pass.
            findings =
            [
                new Finding(FindingStatus.Unknown, ResourceTypes.Snapshot, context.Snapshot.Id, null, "snapshot",
                    $"the check could not be evaluated: {ex.GetType().Name}: {ex.Message}", "Report this as a Vigil defect."),
            ];
        }

        // The age of the data is judged here, for every check alike: stale data never passes.
        var (judged, notes) = StaleData.Apply(check.Definition.Needs, findings, context);
        // Exceptions too, after the age of the data: an exception excuses a failure, never data too old to judge.
        judged = Configuration.Exceptions.Apply(check.Definition.Id, judged, context.Options.Exceptions, context.Now, context.Options.TimeZone);
        return new CheckResult(check.Definition.Id, StatusOf(judged), judged, notes.Count == 0 ? null : notes);
    }
}
