using System.Net.Http.Headers;
using Vigil.Core;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare;

/// <summary>
/// How Vigil authenticates to Cloudflare: an API token (Bearer) or a legacy Global API Key with the user's email.
/// The value is a <see cref="Core.Secret"/> and never appears in ToString, logs or exception messages.
/// </summary>
public sealed class CloudflareCredential
{
    private CloudflareCredential(CredentialKind kind, Secret secret, string? email)
    {
        Kind = kind;
        Secret = secret;
        Email = email;
    }

    public CredentialKind Kind { get; }

    /// <summary>The user's email for a Global API Key; null for tokens.</summary>
    public string? Email { get; }

    internal Secret Secret { get; }

    public bool IsToken => Kind != CredentialKind.GlobalKey;

    /// <summary>
    /// Names the rate limit this credential draws on, for the budget shared between processes
    /// (<see cref="Pacing.ICredentialBudget"/>): Cloudflare counts per user, so a Global API Key is keyed by its user's
    /// email and a token by its value; when preflight read the Cloudflare user behind the credential
    /// (<paramref name="cloudflareUserId"/>, <c>GET /user</c>'s <c>result.id</c>), by that user, so that tokens of one
    /// user (and the user's Global API Key) draw on one budget. A SHA-256 over the API base and that, never the secret itself.
    /// </summary>
    public string BudgetKey(string apiBaseUrl, string? cloudflareUserId = null)
    {
        var who = cloudflareUserId is { Length: > 0 } userId && Kind != CredentialKind.AccountToken ? "user-id:" + userId
            : Kind == CredentialKind.GlobalKey ? "user:" + Email!.ToLowerInvariant() : "token:" + Secret.Reveal();
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(apiBaseUrl.TrimEnd('/') + "\n" + who));
        return "cf:" + Convert.ToHexStringLower(hash);
    }

    /// <exception cref="ArgumentException">The token cannot be sent in a header (see <see cref="Problem"/>).</exception>
    public static CloudflareCredential UserToken(Secret token) => new(CredentialKind.UserToken, Checked(token, "API token"), null);

    /// <exception cref="ArgumentException">The token cannot be sent in a header (see <see cref="Problem"/>).</exception>
    public static CloudflareCredential AccountToken(Secret token) => new(CredentialKind.AccountToken, Checked(token, "API token"), null);

    /// <exception cref="ArgumentException">The email or key cannot be sent in a header (see <see cref="Problem"/>).</exception>
    public static CloudflareCredential GlobalKey(string email, Secret key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        if (Problem(email.Trim(), "email") is { } emailProblem)
        {
            throw new ArgumentException(emailProblem, nameof(email));
        }

        return new(CredentialKind.GlobalKey, Checked(key, "Global API Key"), email.Trim());
    }

    /// <summary>
    /// Why <paramref name="value"/> (a token, key or email) cannot be sent in an HTTP header, or null when it can.
    /// Cloudflare's tokens, keys and login emails are printable ASCII; a line break from a paste, a tab, an escape or
    /// a non-ASCII character is refused here rather than failing, or injecting a header, on the wire. The message names <paramref name="what"/> and never quotes the value.
    /// </summary>
    public static string? Problem(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\r' or '\n')
            {
                return $"the {what} contains a line break (character {i + 1} of {value.Length}); set it to the {what} alone, on one line";
            }

            if (char.IsControl(c))
            {
                return $"the {what} contains a control character (character {i + 1} of {value.Length}); set it to the {what} alone";
            }

            // A space is harmless in a header; Cloudflare answers it as a malformed token, which preflight explains.
            if (c > '~')
            {
                return $"the {what} contains a non-ASCII character (character {i + 1} of {value.Length}); Cloudflare credentials and login emails are plain ASCII";
            }
        }

        return null;
    }

    private static Secret Checked(Secret secret, string what)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Problem(secret.Reveal(), what) is { } problem ? throw new ArgumentException(problem, nameof(secret)) : secret;
    }

    public static CloudflareCredential For(Connection connection, Secret secret) => connection.Kind switch
    {
        CredentialKind.GlobalKey => GlobalKey(connection.Email ?? throw new ArgumentException("A Global API Key connection needs the user's email."), secret),
        CredentialKind.AccountToken => AccountToken(secret),
        _ => UserToken(secret),
    };

    /// <summary>The same secret, as another kind of token (preflight detects user vs account ownership).</summary>
    internal CloudflareCredential AsKind(CredentialKind kind) => kind == Kind ? this : new(kind, Secret, Email);

    internal void Apply(HttpRequestHeaders headers)
    {
        if (Kind == CredentialKind.GlobalKey)
        {
            headers.TryAddWithoutValidation("X-Auth-Email", Email);
            headers.TryAddWithoutValidation("X-Auth-Key", Secret.Reveal());
        }
        else
        {
            headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret.Reveal());
        }
    }

    public override string ToString() => Kind switch
    {
        CredentialKind.GlobalKey => $"Global API Key for {Email} [redacted]",
        CredentialKind.AccountToken => "account API token [redacted]",
        _ => "API token [redacted]",
    };
}
