using Vigil.Core.Users;

namespace Vigil.Core.Storage;

/// <summary>
/// The web app's users of one organisation (see <see cref="WebUser"/>). Implemented by both engines' stores; reach it
/// with <c>store as IUserStore</c> (kept off IVigilStore's list so each branch adds its store seams without conflict).
/// </summary>
public interface IUserStore
{
    /// <summary>Every user of the organisation, by email.</summary>
    Task<IReadOnlyList<WebUser>> ListUsersAsync(CancellationToken ct);

    /// <summary>The user with this email (compared lower-cased); null when there is none.</summary>
    Task<WebUser?> FindUserAsync(string email, CancellationToken ct);

    /// <summary>The user whose API key has this public id; null when there is none.</summary>
    Task<WebUser?> FindUserByApiKeyAsync(string apiKeyId, CancellationToken ct);

    /// <summary>Adds a user; false (and nothing written) when the organisation already has one with this email.</summary>
    Task<bool> AddUserAsync(WebUser user, CancellationToken ct);

    /// <summary>
    /// Replaces the stored user with the same email (password, stamp, role, sign-in counters, API key) in one statement;
    /// false when there is no such user.
    /// </summary>
    Task<bool> UpdateUserAsync(WebUser user, CancellationToken ct);

    /// <summary>Removes the user (and with it their API key); false when there was none.</summary>
    Task<bool> RemoveUserAsync(string email, CancellationToken ct);
}
