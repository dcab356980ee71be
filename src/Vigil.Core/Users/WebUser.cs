namespace Vigil.Core.Users;

/// <summary>What a signed-in user may do in the web app and the API.</summary>
public enum UserRole
{
    /// <summary>Everything: connections, syncs, mappings, settings, reviews, users' data.</summary>
    Admin,

    /// <summary>Reads everything; decides only the review items assigned to their email.</summary>
    Reviewer,

    /// <summary>Reads everything; changes nothing.</summary>
    Viewer,
}

/// <summary>
/// A person who signs in to the web app (or calls the API with their key). Belongs to one organisation; the email is
/// unique across the database, so signing in needs no organisation name.
/// </summary>
/// <param name="Email">Lower-cased; the sign-in name, and the reviewer email review items are assigned to.</param>
/// <param name="PasswordHash">ASP.NET Core Identity's PBKDF2 hash (never the password).</param>
/// <param name="SecurityStamp">Changes when the password changes, so sessions signed in before stop working.</param>
/// <param name="FailedSignIns">Failed sign-ins since the last successful one.</param>
/// <param name="LockedUntil">No sign-in is accepted before this instant (UTC); null when not locked.</param>
/// <param name="ApiKeyId">The public part of the user's API key (looked up by it); null when the user has none.</param>
/// <param name="ApiKeyHash">SHA-256 (hex) of the whole API key; the key itself is never stored.</param>
public sealed record WebUser(
    string Email,
    UserRole Role,
    string PasswordHash,
    string SecurityStamp,
    DateTimeOffset CreatedAt,
    int FailedSignIns = 0,
    DateTimeOffset? LockedUntil = null,
    string? ApiKeyId = null,
    string? ApiKeyHash = null,
    DateTimeOffset? ApiKeyCreatedAt = null)
{
    /// <summary>"admin", "reviewer" or "viewer".</summary>
    public static string RoleName(UserRole role) => role switch
    {
        UserRole.Admin => "admin",
        UserRole.Reviewer => "reviewer",
        UserRole.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    /// <summary>Parses "admin", "reviewer" or "viewer" (any case); null for anything else.</summary>
    public static UserRole? ParseRole(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "admin" => UserRole.Admin,
        "reviewer" => UserRole.Reviewer,
        "viewer" => UserRole.Viewer,
        _ => null,
    };

    /// <summary>The stored form of an email: trimmed and lower-cased.</summary>
    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();
}
