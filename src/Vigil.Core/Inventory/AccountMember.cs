namespace Vigil.Core.Inventory;

/// <summary>Whether a membership is in use or still an open invitation. Both count as access.</summary>
public enum MembershipStatus
{
    Accepted,
    Pending,
    /// <summary>A status Cloudflare may add later; treated as access.</summary>
    Other,
}

/// <summary>One membership of one user in one Cloudflare account.</summary>
/// <param name="Id">Cloudflare membership id (not the user id).</param>
/// <param name="Email">The user's primary email as Cloudflare reports it (case preserved).</param>
/// <param name="TwoFactorEnabled">The user's 2FA flag; null when the API left it out, which is not "enabled".</param>
/// <param name="Roles">Legacy roles; may be empty when access comes through <paramref name="Policies"/>.</param>
public sealed record AccountMember(
    string Id,
    string AccountId,
    string? UserId,
    string Email,
    string? FirstName,
    string? LastName,
    MembershipStatus Status,
    bool? TwoFactorEnabled,
    IReadOnlyList<MemberRole> Roles,
    IReadOnlyList<MemberPolicy> Policies)
{
    /// <summary>"First Last", or null when Cloudflare has no name (typical of pending invites).</summary>
    public string? DisplayName =>
        string.Join(' ', new[] { FirstName, LastName }.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } name ? name : null;

    /// <summary>Names of the roles and of the permission groups granted by allow-policies: what this member can do.</summary>
    public IEnumerable<string> GrantNames =>
        Roles.Select(r => r.Name)
            .Concat(Policies.Where(p => p.Access == "allow").SelectMany(p => p.PermissionGroups));
}

/// <summary>A role held by a member, by id and name.</summary>
public sealed record MemberRole(string Id, string Name);

/// <summary>A policy grant: permission groups (by name, or id when unnamed) over resource groups.</summary>
/// <param name="Access">"allow" or "deny".</param>
public sealed record MemberPolicy(string Id, string Access, IReadOnlyList<string> PermissionGroups, IReadOnlyList<string> ResourceGroups);

/// <summary>A role defined in an account (the catalogue members' roles refer to).</summary>
/// <param name="Permissions">Normalised grants such as "zones:read" or "dns:write", whichever shape the API used.</param>
public sealed record AccountRole(string Id, string AccountId, string Name, string? Description, IReadOnlyList<string> Permissions);
