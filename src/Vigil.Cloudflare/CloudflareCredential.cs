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

    public static CloudflareCredential UserToken(Secret token) => new(CredentialKind.UserToken, token, null);

    public static CloudflareCredential AccountToken(Secret token) => new(CredentialKind.AccountToken, token, null);

    public static CloudflareCredential GlobalKey(string email, Secret key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return new(CredentialKind.GlobalKey, key, email.Trim());
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
