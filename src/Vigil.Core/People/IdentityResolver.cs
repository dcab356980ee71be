using Vigil.Core.Inventory;

namespace Vigil.Core.People;

/// <summary>How a member was matched to a person.</summary>
public enum IdentityMatch
{
    /// <summary>An explicit identity mapping names the person.</summary>
    Mapping,
    /// <summary>The member's email is the person's email.</summary>
    Email,
    /// <summary>The member's email is one of the person's aliases.</summary>
    Alias,
}

/// <summary>Who a Cloudflare member is: a person in the staff directory, a service account, or nobody known.</summary>
public abstract record MemberIdentity
{
    private MemberIdentity()
    {
    }

    /// <summary>The member is this person.</summary>
    public sealed record Identified(Person Person, IdentityMatch MatchedBy) : MemberIdentity;

    /// <summary>The member was mapped by hand to a service account; the justification may be blank, which checks reject.</summary>
    public sealed record ServiceAccount(string Justification) : MemberIdentity;

    /// <summary>No person or service account; <paramref name="Reason"/> says why.</summary>
    public sealed record Unidentified(string Reason) : MemberIdentity;
}

/// <summary>
/// Resolves Cloudflare members to people: an explicit <see cref="IdentityMapping"/> first, then the member's email
/// against each person's email and aliases (case-insensitive).
/// </summary>
public sealed class IdentityResolver
{
    private readonly Dictionary<string, IdentityMapping> _mappings = new(StringComparer.OrdinalIgnoreCase);

    public IdentityResolver(StaffDirectory directory, IEnumerable<IdentityMapping> mappings)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(mappings);
        Directory = directory;
        foreach (var mapping in mappings)
        {
            // The newest decision about a member wins.
            if (!_mappings.TryGetValue(mapping.MemberEmail.Trim(), out var existing) || mapping.CreatedAt >= existing.CreatedAt)
            {
                _mappings[mapping.MemberEmail.Trim()] = mapping;
            }
        }
    }

    public StaffDirectory Directory { get; }

    public MemberIdentity Resolve(AccountMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        // Without an email there is nothing to match: never fall through to a mapping or person keyed by "".
        return member.HasEmail ? Resolve(member.Email) : new MemberIdentity.Unidentified($"Cloudflare returned no email for member {member.Id}");
    }

    /// <summary>
    /// <see cref="Resolve(AccountMember)"/> without remembering the answer, for a caller that resolves every membership once
    /// and keeps the answers itself (the checks' member facts, built on several threads at once: a shared memo would only
    /// make them wait for each other).
    /// </summary>
    internal MemberIdentity ResolveOnceFor(AccountMember member) =>
        member.HasEmail ? ResolveOnce(member.Email) : new MemberIdentity.Unidentified($"Cloudflare returned no email for member {member.Id}");

    public MemberIdentity Resolve(string memberEmail)
    {
        ArgumentNullException.ThrowIfNull(memberEmail);
        // Several checks resolve every membership, and a person may hold many: each address is resolved once.
        return _resolved.GetOrAdd(memberEmail, ResolveOnce);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MemberIdentity> _resolved = new(StringComparer.Ordinal);

    private MemberIdentity ResolveOnce(string memberEmail)
    {
        if (_mappings.TryGetValue(memberEmail.Trim(), out var mapping))
        {
            return FromMapping(mapping);
        }

        var person = Directory.Find(memberEmail, out var viaAlias);
        return person is null
            ? new MemberIdentity.Unidentified($"{memberEmail} matches no email or alias in the staff directory and has no identity mapping")
            : new MemberIdentity.Identified(person, viaAlias ? IdentityMatch.Alias : IdentityMatch.Email);
    }

    private MemberIdentity FromMapping(IdentityMapping mapping)
    {
        if (!string.IsNullOrWhiteSpace(mapping.PersonEmail))
        {
            return Directory.Find(mapping.PersonEmail) is { } person
                ? new MemberIdentity.Identified(person, IdentityMatch.Mapping)
                : new MemberIdentity.Unidentified(
                    $"{mapping.MemberEmail} is mapped to {mapping.PersonEmail}, who is not in the staff directory");
        }

        if (mapping.ServiceAccountJustification is not null)
        {
            return new MemberIdentity.ServiceAccount(mapping.ServiceAccountJustification.Trim());
        }

        return new MemberIdentity.Unidentified($"the identity mapping for {mapping.MemberEmail} names neither a person nor a service-account justification");
    }
}
