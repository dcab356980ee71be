using Vigil.Core.People;

namespace Vigil.Core.Reviews;

/// <summary>
/// Reads decisions from a CSV file with the columns <c>member_email,account_id,decision,role,comment</c> (a header line
/// first; several roles separated by ';'). All or nothing: every line is checked, and any error stops them all.
/// </summary>
public static class BulkDecisions
{
    public static readonly IReadOnlyList<string> Columns = ["member_email", "account_id", "decision", "role", "comment"];

    /// <summary>The decisions of every line, or the errors by line (then no decision).</summary>
    public static (IReadOnlyList<ReviewDecision> Decisions, IReadOnlyList<string> Errors) Read(
        TextReader csv, ReviewCampaign campaign, string by, DateTimeOffset at, Func<string> newId, StaffDirectory? staff = null)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(campaign);
        var errors = new List<string>();
        var decisions = new List<ReviewDecision>();
        var seen = new Dictionary<(string, string), int>();
        Dictionary<string, int>? header = null;
        foreach (var record in CsvReader.Read(csv))
        {
            if (record.Error is { } syntax)
            {
                errors.Add($"line {record.Line}: {syntax}");
                break;
            }

            if (header is null)
            {
                header = record.Fields.Select((name, index) => (name: name.Trim().ToLowerInvariant(), index))
                    .GroupBy(f => f.name).ToDictionary(g => g.Key, g => g.First().index);
                var missing = Columns.Where(c => !header.ContainsKey(c)).ToList();
                if (missing.Count > 0)
                {
                    errors.Add($"line {record.Line}: the header lacks {string.Join(", ", missing)}; expected {string.Join(",", Columns)}");
                    break;
                }

                continue;
            }

            string Field(string name) => header[name] < record.Fields.Count ? record.Fields[header[name]].Trim() : "";
            try
            {
                var email = Field("member_email");
                if (email.Length == 0)
                {
                    throw new ReviewRuleException("member_email is empty");
                }

                var kind = ReviewRules.ParseDecision(Field("decision"))
                    ?? throw new ReviewRuleException($"decision '{Field("decision")}' is not keep, revoke, change_role or defer");
                var item = campaign.FindItem(email, Field("account_id") is { Length: > 0 } account ? account : null);
                if (seen.TryGetValue((item.AccountId, item.MemberId), out var earlier))
                {
                    throw new ReviewRuleException($"{item.Label} in {item.AccountName} is already decided on line {earlier}");
                }

                var roles = Field("role").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var comment = Field("comment");
                decisions.Add(ReviewRules.Decide(campaign, item, kind, roles, by, comment.Length > 0 ? comment : null, at, newId(), staff));
                seen[(item.AccountId, item.MemberId)] = record.Line;
            }
            catch (ReviewRuleException e)
            {
                errors.Add($"line {record.Line}: {e.Message}");
            }
        }

        if (header is null && errors.Count == 0)
        {
            errors.Add($"the file is empty; expected a header line {string.Join(",", Columns)} and one line per decision");
        }
        else if (errors.Count == 0 && decisions.Count == 0)
        {
            errors.Add("the file has a header but no decision");
        }

        return errors.Count > 0 ? ([], errors) : (decisions, []);
    }
}
