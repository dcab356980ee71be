using Vigil.Core.Checks;

namespace Vigil.Core.Tests.TestSupport;

/// <summary>Assertions that read like the finding they expect: <c>result.ShouldFail("shop.example", containing: "1.0")</c>.</summary>
internal static class FindingAssertions
{
    /// <summary>Runs one check through the runner, so results get their status exactly as in production.</summary>
    public static CheckResult Run(this ICheck check, EvaluationContext context) =>
        Assert.Single(CheckRunner.Evaluate(context, [check]).Results);

    public static Finding ShouldPass(this CheckResult result, string subject, string? containing = null, string? account = null) =>
        result.ShouldHave(FindingStatus.Pass, subject, containing, account);

    public static Finding ShouldFail(this CheckResult result, string subject, string? containing = null, string? account = null)
    {
        var finding = result.ShouldHave(FindingStatus.Fail, subject, containing, account);
        Assert.False(string.IsNullOrWhiteSpace(finding.Remediation), $"failing finding on {subject} has no remediation");
        Assert.Equal(CheckStatus.Fail, result.Status);
        return finding;
    }

    public static Finding ShouldBeSkipped(this CheckResult result, string subject, string? containing = null, string? account = null) =>
        result.ShouldHave(FindingStatus.Skipped, subject, containing, account);

    public static Finding ShouldBeUnknown(this CheckResult result, string subject, string? containing = null, string? account = null) =>
        result.ShouldHave(FindingStatus.Unknown, subject, containing, account);

    /// <summary>The check passes and every finding is Pass or Skipped.</summary>
    public static void ShouldPassOverall(this CheckResult result)
    {
        Assert.True(result.Status == CheckStatus.Pass, $"{result.CheckId} is {result.Status}: {Describe(result)}");
        Assert.All(result.Findings, f => Assert.Contains(f.Status, new[] { FindingStatus.Pass, FindingStatus.Skipped }));
    }

    private static Finding ShouldHave(this CheckResult result, FindingStatus status, string subject, string? containing, string? account)
    {
        var matches = result.Findings.Where(f => f.Subject == subject && (account is null || f.AccountId == account)).ToList();
        Assert.True(matches.Count == 1, $"expected one finding on {subject}, found {matches.Count}: {Describe(result)}");
        var finding = matches[0];
        Assert.True(finding.Status == status, $"expected {status} on {subject}, got {finding.Status}: {finding.Reason}");
        if (containing is not null)
        {
            Assert.Contains(containing, finding.Reason, StringComparison.Ordinal);
        }

        return finding;
    }

    private static string Describe(CheckResult result) =>
        string.Join(" | ", result.Findings.Select(f => $"{f.Status} {f.Subject}: {f.Reason}"));
}
