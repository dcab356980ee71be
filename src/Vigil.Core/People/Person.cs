namespace Vigil.Core.People;

/// <summary>Employment status from the staff directory.</summary>
public enum PersonStatus
{
    Active,
    Offboarded,
}

/// <summary>A person in the staff directory. Email is the key, compared case-insensitively.</summary>
/// <param name="OrgRole">The person's role in the organisation (e.g. "engineer"), matched against a critical system's allowed roles.</param>
/// <param name="Aliases">Other addresses the person uses (e.g. a pre-rebrand domain).</param>
/// <param name="ManagerEmail">The person's manager, who reviews their access.</param>
public sealed record Person(
    string Email,
    string Name,
    PersonStatus Status,
    string? OrgRole,
    DateOnly? OffboardedOn,
    IReadOnlyList<string> Aliases,
    string? ManagerEmail);

/// <summary>
/// A decision on who a Cloudflare member is, made by hand: either a person, or a service account with a reason.
/// Exactly one of <paramref name="PersonEmail"/> and <paramref name="ServiceAccountJustification"/> is set.
/// </summary>
public sealed record IdentityMapping(string MemberEmail, string? PersonEmail, string? ServiceAccountJustification, DateTimeOffset CreatedAt);
