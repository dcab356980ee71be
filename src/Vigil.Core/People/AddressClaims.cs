namespace Vigil.Core.People;

/// <summary>
/// Tracks which addresses (emails and aliases) rows of one import have claimed, so that no address
/// belongs to two people. Addresses compare case-insensitively.
/// </summary>
internal sealed class AddressClaims
{
    private readonly Dictionary<string, (string Owner, string Where, bool IsAlias)> _claims = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Describes the conflict when <paramref name="address"/> is already claimed by another person; null when free.</summary>
    public string? Conflict(string address, string owner)
    {
        if (!_claims.TryGetValue(address, out var claim) || string.Equals(claim.Owner, owner, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return claim.IsAlias
            ? $"'{address}' is already an alias of {claim.Owner} ({claim.Where})"
            : $"'{address}' is already the email of a person ({claim.Where})";
    }

    /// <summary>Describes the conflict when the email was already used by another row, which is always a duplicate.</summary>
    public string? EmailConflict(string email)
    {
        if (!_claims.TryGetValue(email, out var claim))
        {
            return null;
        }

        return claim.IsAlias
            ? $"'{email}' is already an alias of {claim.Owner} ({claim.Where})"
            : $"'{email}' appears twice; first {claim.Where}";
    }

    public void Claim(Person person, string where)
    {
        _claims[person.Email] = (person.Email, where, false);
        foreach (var alias in person.Aliases)
        {
            _claims.TryAdd(alias, (person.Email, where, true));
        }
    }
}
