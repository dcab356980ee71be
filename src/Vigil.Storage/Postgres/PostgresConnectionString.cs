using System.Text.RegularExpressions;
using Npgsql;

namespace Vigil.Storage.Postgres;

/// <summary>
/// Reads VIGIL_DATABASE: a URL (<c>postgres://user:pass@host:port/db?sslmode=require</c>, or <c>postgresql://</c>) or
/// Npgsql's keyword form (<c>Host=...;Database=...</c>). A missing password comes from VIGIL_DATABASE_PASSWORD, else
/// PGPASSWORD. No message it raises contains the password.
/// </summary>
internal static partial class PostgresConnectionString
{
    public const string PasswordVariable = "VIGIL_DATABASE_PASSWORD";
    public const string StandardPasswordVariable = "PGPASSWORD";

    public static bool IsPostgres(string? databaseUrl) =>
        databaseUrl is not null
        && (databaseUrl.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || databaseUrl.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || databaseUrl.Contains('=', StringComparison.Ordinal));

    /// <exception cref="ArgumentException">Not a PostgreSQL URL or connection string (the message never holds the password).</exception>
    public static NpgsqlConnectionStringBuilder Parse(string databaseUrl, Func<string, string?> environment)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseUrl);
        var text = databaseUrl.Trim();
        var builder = text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(text)
            : FromKeywords(text);

        if (string.IsNullOrEmpty(builder.Password))
        {
            var fromEnvironment = environment(PasswordVariable) is { Length: > 0 } vigil ? vigil : environment(StandardPasswordVariable);
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                builder.Password = fromEnvironment;
            }
        }

        if (string.IsNullOrEmpty(builder.Host))
        {
            throw new ArgumentException("VIGIL_DATABASE names no host: use postgres://user@host:port/database or Host=...;Database=...");
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new ArgumentException("VIGIL_DATABASE names no database: use postgres://user@host:port/database or Host=...;Database=...");
        }

        builder.ApplicationName ??= "vigil";
        return builder;
    }

    /// <summary>Whether the text itself carries a password (not one from the environment).</summary>
    public static bool HasPassword(string databaseUrl)
    {
        try
        {
            return !string.IsNullOrEmpty(Parse(databaseUrl, _ => null).Password);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>host:port/database, for messages (never user or password).</summary>
    public static string Location(NpgsqlConnectionStringBuilder builder) =>
        $"{(builder.Host ?? "").Split(',')[0]}:{builder.Port}/{builder.Database}";

    /// <summary>The text with every occurrence of the password (raw and percent-encoded) replaced by ***.</summary>
    public static string Redact(string text, string? password)
    {
        if (string.IsNullOrEmpty(password) || string.IsNullOrEmpty(text))
        {
            return text;
        }

        return text.Replace(password, "***", StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(password), "***", StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        Uri uri;
        try
        {
            uri = new Uri(text);
        }
        catch (UriFormatException)
        {
            throw new ArgumentException("VIGIL_DATABASE is not a valid URL: expected postgres://user:password@host:port/database[?sslmode=...]");
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var userInfo = uri.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        builder.Host = uri.Host.StartsWith('[') ? uri.Host.Trim('[', ']') : Uri.UnescapeDataString(uri.Host);
        builder.Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port;
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            var keyword = key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "sslrootcert" => "Root Certificate",
                "sslcert" => "SSL Certificate",
                "sslkey" => "SSL Key",
                "connect_timeout" => "Timeout",
                "application_name" => "Application Name",
                "target_session_attrs" => "Target Session Attributes",
                "options" => "Options",
                "user" => "Username",
                "password" => "Password",
                _ => key,
            };
            try
            {
                builder[keyword] = keyword == "SSL Mode" ? SslModeName(value) : value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
            {
                throw new ArgumentException($"VIGIL_DATABASE has an option Vigil cannot use: '{key}' (PostgreSQL URL options: sslmode, sslrootcert, connect_timeout, application_name, or any Npgsql keyword).");
            }
        }

        return builder;
    }

    // libpq's sslmode values, as Npgsql names them.
    private static string SslModeName(string value) => value.ToLowerInvariant() switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => value,
    };

    private static NpgsqlConnectionStringBuilder FromKeywords(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            var message = e.Message;
            foreach (Match match in PasswordValue().Matches(text))
            {
                message = Redact(message, match.Groups["value"].Value.Trim());
            }

            throw new ArgumentException($"VIGIL_DATABASE is not a valid PostgreSQL connection string: {message}");
        }
    }

    [GeneratedRegex(@"(?i)(?:password|pwd)\s*=\s*(?<value>[^;]*)")]
    private static partial Regex PasswordValue();
}
