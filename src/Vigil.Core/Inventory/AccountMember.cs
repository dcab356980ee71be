namespace Vigil.Core.Inventory;

/// <summary>Whether a membership is in use or still an open invitation. Both count as access; nothing else does.</summary>
public enum MembershipStatus
{
    Accepted,
    Pending,
    /// <summary>Any other status (e.g. a rejected invitation, <see cref="AccountMember.StatusText"/>): not access, judged by no access check.</summary>
    Other,
}

/// <summary>One membership of one user in one Cloudflare account.</summary>
/// <param name="Id">Cloudflare membership id (not the user id).</param>
/// <param name="Email">The user's primary email as Cloudflare reports it (case preserved); empty when Cloudflare sent none (see <see cref="HasEmail"/>).</param>
/// <param name="TwoFactorEnabled">The user's 2FA flag; null when the API left it out, which is not "enabled".</param>
/// <param name="Roles">Legacy roles; may be empty when access comes through <paramref name="Policies"/>.</param>
/// <param name="Policies">Direct policies, then the policies of the IAM user groups the member belongs to (<see cref="MemberPolicy.ViaGroup"/>).</param>
/// <param name="StatusText">The status exactly as Cloudflare sent it (e.g. "rejected"); null when it was not recorded.</param>
/// <param name="FirstSeenAt">
/// When Vigil first saw this membership: carried forward by each sync from the previous snapshot (a new membership gets
/// the time of the stage that first read it). Cloudflare gives no invitation date, so this dates pending invitations;
/// null in snapshots taken before Vigil recorded it.
/// </param>
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
    IReadOnlyList<MemberPolicy> Policies,
    string? StatusText = null,
    DateTimeOffset? FirstSeenAt = null,
    DateTimeOffset? ObservedAt = null)
{
    /// <summary>False when Cloudflare returned no email for this member: it can then be matched to nobody.</summary>
    public bool HasEmail => !string.IsNullOrWhiteSpace(Email);

    /// <summary>The email, or "member ID" when Cloudflare returned none.</summary>
    public string Label => HasEmail ? Email : $"member {Id}";

    /// <summary>Accepted memberships and pending invitations are access; any other status is not.</summary>
    public bool IsAccess => Status is MembershipStatus.Accepted or MembershipStatus.Pending;

    /// <summary>The email's domain in lower case ("example.com"); null without an email.</summary>
    public string? EmailDomain => HasEmail && Email.LastIndexOf('@') is var at and >= 0 && at < Email.Length - 1
        ? Email[(at + 1)..].Trim().ToLowerInvariant()
        : null;

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

/// <summary>A policy grant: permission groups over resource groups.</summary>
/// <param name="Access">"allow" or "deny".</param>
/// <param name="PermissionGroups">Permission group names; one Cloudflare sent without a name is named from the account's permission-group list, or "unnamed permission group ID".</param>
/// <param name="ResourceGroups">Resource group names (or scope keys) as Cloudflare sent them.</param>
/// <param name="ViaGroup">The IAM user group the member holds this policy through; null for a policy on the member itself.</param>
/// <param name="Scopes">What the policy applies to; null when it was not recorded (older snapshots), which counts as account-wide.</param>
public sealed record MemberPolicy(
    string Id,
    string Access,
    IReadOnlyList<string> PermissionGroups,
    IReadOnlyList<string> ResourceGroups,
    string? ViaGroup = null,
    IReadOnlyList<PolicyScope>? Scopes = null);

/// <summary>One resource a policy applies to.</summary>
/// <param name="Kind"><see cref="Account"/> (the whole account), <see cref="AllZones"/>, <see cref="Zone"/> (one zone, by id) or <see cref="Other"/> (a scope key Vigil does not interpret).</param>
/// <param name="Id">The account id, zone id or raw scope key.</param>
public sealed record PolicyScope(string Kind, string Id)
{
    public const string Account = "account";
    public const string AllZones = "all_zones";
    public const string Zone = "zone";
    public const string Other = "other";

    public bool IsAccountWide => Kind == Account;
}

/// <summary>A role defined in an account (the catalogue members' roles refer to).</summary>
/// <param name="Permissions">Normalised grants such as "zones:read" or "dns:write", whichever shape the API used.</param>
public sealed record AccountRole(string Id, string AccountId, string Name, string? Description, IReadOnlyList<string> Permissions);
