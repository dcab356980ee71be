using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Vigil.Core;
using Vigil.Core.Organisations;
using Vigil.Core.Storage;
using Vigil.Core.Users;
using Vigil.Storage;

namespace Vigil.App.Users;

/// <summary>
/// The web app's users: add, list, remove, reset a password, issue an API key, and the checks behind sign-in and the
/// Bearer scheme. One place for the CLI (<c>vigil users ...</c>) and the server. Passwords are hashed with ASP.NET Core
/// Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, 100,000 iterations in its v3 format); API keys
/// are 256-bit random values stored as SHA-256.
/// </summary>
public sealed class UserAccounts(TimeProvider time)
{
    /// <summary>Failed sign-ins in a row that lock the account.</summary>
    public const int LockoutThreshold = 5;

    /// <summary>How long a locked account refuses every sign-in, even with the right password.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>The shortest password accepted from --password-stdin or a reset.</summary>
    public const int MinimumPasswordLength = 12;

    private const string ApiKeyPrefix = "vigil_";
    private static readonly PasswordHasher<WebUser> Hasher = new();

    /// <summary>
    /// Adds a user to the store's organisation. With no password given, makes a one-time one (returned, shown once).
    /// </summary>
    /// <exception cref="InvalidRequestException">Bad email or password, or the email is already a user (in any organisation).</exception>
    public async Task<(WebUser User, Secret? Generated)> AddAsync(IVigilStore store, string email, UserRole role, Secret? password, CancellationToken ct)
    {
        var users = Users(store);
        var normalised = ValidateEmail(email);
        var generated = password is null ? NewPassword() : null;
        var chosen = password ?? generated!;
        ValidatePassword(chosen);
        if (await FindAnywhereAsync(store, normalised, ct) is { } existing)
        {
            var where = existing.Organisation.Id == store.Organisation.Id ? "" : " (in another organisation)";
            throw new InvalidRequestException($"{normalised} is already a user{where}; an email signs in to one organisation only", "email");
        }

        var user = new WebUser(normalised, role, "", NewStamp(), time.GetUtcNow());
        user = user with { PasswordHash = Hasher.HashPassword(user, chosen.Reveal()) };
        if (!await users.AddUserAsync(user, ct))
        {
            throw new InvalidRequestException($"{normalised} is already a user; an email signs in to one organisation only", "email");
        }

        return (user, generated);
    }

    /// <summary>Every user of the store's organisation.</summary>
    public Task<IReadOnlyList<WebUser>> ListAsync(IVigilStore store, CancellationToken ct) => Users(store).ListUsersAsync(ct);

    /// <summary>Removes a user and their API key; their sessions stop at their next request.</summary>
    /// <exception cref="OperationException">No such user in this organisation.</exception>
    public async Task RemoveAsync(IVigilStore store, string email, CancellationToken ct)
    {
        if (!await Users(store).RemoveUserAsync(email, ct))
        {
            throw new OperationException($"there is no user {WebUser.NormaliseEmail(email)}{Describe(store.Organisation)}; see 'vigil users list'");
        }
    }

    /// <summary>
    /// Sets a new password (a one-time one when none is given, returned), unlocks the account and ends every session
    /// signed in with the old one.
    /// </summary>
    public async Task<Secret?> ResetPasswordAsync(IVigilStore store, string email, Secret? password, CancellationToken ct)
    {
        var user = await RequireAsync(store, email, ct);
        var generated = password is null ? NewPassword() : null;
        var chosen = password ?? generated!;
        ValidatePassword(chosen);
        var changed = user with
        {
            PasswordHash = Hasher.HashPassword(user, chosen.Reveal()),
            SecurityStamp = NewStamp(),
            FailedSignIns = 0,
            LockedUntil = null,
        };
        await Users(store).UpdateUserAsync(changed, ct);
        return generated;
    }

    /// <summary>Issues a new API key for the user (replacing any earlier one) and returns it; only its hash is kept.</summary>
    public async Task<Secret> CreateApiKeyAsync(IVigilStore store, string email, CancellationToken ct)
    {
        var user = await RequireAsync(store, email, ct);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var key = $"{ApiKeyPrefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        await Users(store).UpdateUserAsync(user with { ApiKeyId = id, ApiKeyHash = Sha256(key), ApiKeyCreatedAt = time.GetUtcNow() }, ct);
        return new Secret(key);
    }

    /// <summary>
    /// Checks an email and password. A wrong password counts towards the lockout; the right one resets the count. A
    /// locked account refuses even the right password until the lock ends. The answer never says whether the email
    /// exists (an unknown email costs the same hashing work).
    /// </summary>
    /// <param name="store">Any view of the database: users are found in whichever organisation they belong to.</param>
    public async Task<SignInResult> SignInAsync(IVigilStore store, string email, string password, CancellationToken ct)
    {
        var found = string.IsNullOrWhiteSpace(email) ? null : await FindAnywhereAsync(store, WebUser.NormaliseEmail(email), ct);
        if (found is not { } match)
        {
            // The same PBKDF2 work as a real check, so timing does not tell which emails exist.
            Hasher.VerifyHashedPassword(Decoy, DecoyHash, password ?? "");
            return SignInResult.Failed;
        }

        var (user, organisation, view) = match;
        await using (view)
        {
            var now = time.GetUtcNow();
            if (user.LockedUntil is { } until && until > now)
            {
                return SignInResult.Locked(until);
            }

            var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password ?? "");
            if (verdict == PasswordVerificationResult.Failed)
            {
                var failures = user.FailedSignIns + 1;
                var locked = failures >= LockoutThreshold ? now + LockoutDuration : (DateTimeOffset?)null;
                await Users(view).UpdateUserAsync(user with { FailedSignIns = locked is null ? failures : 0, LockedUntil = locked }, ct);
                return locked is { } lockedUntil ? SignInResult.Locked(lockedUntil) : SignInResult.Failed;
            }

            var signedIn = user with { FailedSignIns = 0, LockedUntil = null };
            if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
            {
                signedIn = signedIn with { PasswordHash = Hasher.HashPassword(user, password!) };
            }

            if (signedIn != user)
            {
                await Users(view).UpdateUserAsync(signedIn, ct);
            }

            return SignInResult.Success(signedIn, organisation);
        }
    }

    /// <summary>The user and organisation an API key belongs to; null for any key that is not a current one.</summary>
    public async Task<(WebUser User, Organisation Organisation)?> AuthenticateApiKeyAsync(IVigilStore store, string key, CancellationToken ct)
    {
        if (!key.StartsWith(ApiKeyPrefix, StringComparison.Ordinal) || key.Length > 200)
        {
            return null;
        }

        var id = key[ApiKeyPrefix.Length..].Split('_', 2)[0];
        if (id.Length != 24 || !id.All(Uri.IsHexDigit))
        {
            return null;
        }

        foreach (var organisation in await store.ListOrganisationsAsync(ct))
        {
            await using var view = store.ForOrganisation(organisation);
            if (await Users(view).FindUserByApiKeyAsync(id, ct) is { ApiKeyHash: { } hash } user)
            {
                var matches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(Sha256(key)));
                return matches ? (user, organisation) : null;
            }
        }

        return null;
    }

    /// <summary>The user with this email in whichever organisation has them, and a view of the store for that organisation.</summary>
    public static async Task<(WebUser User, Organisation Organisation, IVigilStore View)?> FindAnywhereAsync(IVigilStore store, string email, CancellationToken ct)
    {
        var normalised = WebUser.NormaliseEmail(email);
        foreach (var organisation in await store.ListOrganisationsAsync(ct))
        {
            var view = store.ForOrganisation(organisation);
            if (await Users(view).FindUserAsync(normalised, ct) is { } user)
            {
                return (user, organisation, view);
            }

            await view.DisposeAsync();
        }

        return null;
    }

    /// <summary>The store's user seam; both engines have one.</summary>
    public static IUserStore Users(IVigilStore store) =>
        store as IUserStore ?? throw new InvalidOperationException($"this Vigil database ({store.Engine}) keeps no web users");

    private async Task<WebUser> RequireAsync(IVigilStore store, string email, CancellationToken ct) =>
        await Users(store).FindUserAsync(email, ct)
        ?? throw new OperationException($"there is no user {WebUser.NormaliseEmail(email)}{Describe(store.Organisation)}; see 'vigil users list'");

    private static string ValidateEmail(string email)
    {
        var normalised = WebUser.NormaliseEmail(email ?? "");
        var at = normalised.IndexOf('@', StringComparison.Ordinal);
        if (normalised.Length is 0 or > 254 || at <= 0 || at == normalised.Length - 1 || normalised.Count(c => c == '@') != 1
            || normalised.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or ','))
        {
            throw new InvalidRequestException($"'{email}' is not an email address", "email");
        }

        return normalised;
    }

    private static void ValidatePassword(Secret password)
    {
        if (password.Reveal().Length < MinimumPasswordLength)
        {
            throw new InvalidRequestException($"a password has at least {MinimumPasswordLength} characters", "password");
        }
    }

    private static Secret NewPassword() => new(Base64Url(RandomNumberGenerator.GetBytes(18)));

    private static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Sha256(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Describe(Organisation organisation) => organisation.IsDefault ? "" : $" in organisation {organisation.Name}";

    private static readonly WebUser Decoy = new("decoy@invalid", UserRole.Viewer, "", "", DateTimeOffset.UnixEpoch);
    private static readonly string DecoyHash = Hasher.HashPassword(Decoy, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
}

/// <summary>The outcome of one sign-in attempt.</summary>
public sealed record SignInResult(bool Succeeded, WebUser? User, Organisation? Organisation, DateTimeOffset? LockedUntil)
{
    public static readonly SignInResult Failed = new(false, null, null, null);

    public static SignInResult Locked(DateTimeOffset until) => new(false, null, null, until);

    public static SignInResult Success(WebUser user, Organisation organisation) => new(true, user, organisation, null);
}
