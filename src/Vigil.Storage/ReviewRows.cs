using Vigil.Core.Reviews;

namespace Vigil.Storage;

/// <summary>How both engines store the enumerated values of access reviews (the same text on SQLite and PostgreSQL).</summary>
internal static class ReviewRows
{
    public static string OutcomeText(RemediationOutcome outcome) => outcome switch
    {
        RemediationOutcome.Applied => "applied",
        RemediationOutcome.Refused => "refused",
        RemediationOutcome.NotFound => "not_found",
        RemediationOutcome.RateLimited => "rate_limited",
        _ => "failed",
    };

    public static RemediationOutcome ParseOutcome(string text) => text switch
    {
        "applied" => RemediationOutcome.Applied,
        "refused" => RemediationOutcome.Refused,
        "not_found" => RemediationOutcome.NotFound,
        "rate_limited" => RemediationOutcome.RateLimited,
        "failed" => RemediationOutcome.Failed,
        _ => throw new InvalidDataException($"Unexpected remediation outcome '{text}' in the database."),
    };
}
