using Vigil.Core.People;

namespace Vigil.Core.Reviews;

/// <summary>
/// Picks each item's reviewer: the person's manager from the staff directory, else the system owner, else the
/// --reviewer list in turn. Never the member themselves: a self-review falls to the next in that order.
/// </summary>
public sealed class ReviewerAssignment(string? owner, IReadOnlyList<string> reviewers)
{
    private int _next;

    /// <summary>The reviewer for a member; null when nobody but the member could review it.</summary>
    /// <param name="person">The identified person; null for service accounts and unidentified members.</param>
    public string? Assign(string memberEmail, Person? person)
    {
        if (person?.ManagerEmail is { Length: > 0 } manager && !IsSelf(manager, memberEmail, person))
        {
            return manager.Trim();
        }

        if (owner is { Length: > 0 } o && !IsSelf(o, memberEmail, person))
        {
            return o.Trim();
        }

        for (var tried = 0; tried < reviewers.Count; tried++)
        {
            var candidate = reviewers[_next++ % reviewers.Count];
            if (!IsSelf(candidate, memberEmail, person))
            {
                return candidate.Trim();
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="reviewer"/> is the member: their Cloudflare email, or the person's email or an alias.</summary>
    public static bool IsSelf(string reviewer, string memberEmail, Person? person)
    {
        var who = reviewer.Trim();
        return Same(who, memberEmail)
               || (person is not null && (Same(who, person.Email) || person.Aliases.Any(a => Same(who, a))));
    }

    private static bool Same(string a, string? b) => b is not null && string.Equals(a, b.Trim(), StringComparison.OrdinalIgnoreCase);
}
