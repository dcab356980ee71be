using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Vigil.Web;

/// <summary>
/// Where and how <c>vigil serve</c> listens. Loopback needs nothing; any other address needs HTTPS (a certificate) or
/// an explicit <see cref="InsecureHttp"/> (e.g. behind a TLS reverse proxy on another host).
/// </summary>
public sealed record ServeOptions
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    /// <summary>The environment variable the certificate password comes from unless --cert-password-env names another.</summary>
    public const string DefaultCertificatePasswordVariable = "VIGIL_CERT_PASSWORD";

    /// <summary>One or more URLs separated by ';' (e.g. <c>http://127.0.0.1:8080</c>, <c>https://0.0.0.0:8443</c>); port 0 picks a free one.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>A PFX (.pfx/.p12) or PEM file with the certificate and its private key, for https URLs.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>A separate PEM private key file, when the certificate PEM does not hold the key.</summary>
    public string? CertificateKeyPath { get; init; }

    /// <summary>The certificate's password (from an environment variable, never an argument); null when it has none.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>Allows plain HTTP on a non-loopback address.</summary>
    public bool InsecureHttp { get; init; }
}

/// <summary>One parsed listening URL.</summary>
internal sealed record ListenUrl(string Original, bool Https, string Host, int Port, bool Loopback);

/// <summary>Parses and judges <see cref="ServeOptions.Urls"/>; every refusal says how to fix it.</summary>
internal static class ServeUrls
{
    public static IReadOnlyList<ListenUrl> Parse(string urls)
    {
        var parsed = new List<ListenUrl>();
        foreach (var raw in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcard hosts are not valid URI hosts; read them as "every address".
            var forUri = raw.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(forUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
            {
                throw new App.InvalidRequestException($"--urls: '{raw}' is not a listening URL like http://127.0.0.1:8080 or https://0.0.0.0:8443", "urls");
            }

            var host = uri.Host.Trim('[', ']');
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
            parsed.Add(new ListenUrl(raw, uri.Scheme == "https", host, uri.Port, loopback));
        }

        if (parsed.Count == 0)
        {
            throw new App.InvalidRequestException("--urls: give at least one URL, e.g. http://127.0.0.1:8080", "urls");
        }

        return parsed;
    }

    /// <summary>Refuses what would expose passwords: plain HTTP off loopback without --insecure-http, HTTPS without a certificate.</summary>
    public static void Validate(IReadOnlyList<ListenUrl> urls, ServeOptions options)
    {
        foreach (var url in urls)
        {
            if (url.Https && options.CertificatePath is null)
            {
                throw new App.InvalidRequestException($"{url.Original} is HTTPS: give the certificate with --cert FILE (PFX or PEM; its password in ${ServeOptions.DefaultCertificatePasswordVariable})", "cert");
            }

            if (!url.Https && !url.Loopback && !options.InsecureHttp)
            {
                throw new App.InvalidRequestException(
                    $"{url.Original} is not a loopback address: serve HTTPS there (https://... with --cert FILE), or, behind a TLS reverse proxy, " +
                    "pass --insecure-http to allow plain HTTP", "urls");
            }
        }
    }

    /// <summary>Loads the certificate: PFX by extension (.pfx/.p12), PEM otherwise (key in the same file or --cert-key).</summary>
    public static X509Certificate2 LoadCertificate(ServeOptions options)
    {
        var path = options.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new App.InvalidRequestException($"--cert: there is no file {path}", "cert");
        }

        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension is ".pfx" or ".p12")
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
            }

            var certificate = options.CertificatePassword is { } password
                ? X509Certificate2.CreateFromEncryptedPemFile(path, password, options.CertificateKeyPath)
                : X509Certificate2.CreateFromPemFile(path, options.CertificateKeyPath);
            // Kestrel on Linux needs the key in an exportable form; a round trip through PKCS#12 gives it.
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new App.InvalidRequestException($"--cert: {path} could not be read as a certificate with its private key ({e.Message}); " +
                $"a password goes in ${ServeOptions.DefaultCertificatePasswordVariable} (or the variable --cert-password-env names)", "cert");
        }
    }

    /// <summary>The line printed at start: where it listens and how safe that is.</summary>
    public static string Describe(IReadOnlyList<ListenUrl> urls, IEnumerable<string> bound)
    {
        var addresses = string.Join(", ", bound);
        if (urls.All(u => u.Loopback && !u.Https))
        {
            return $"Vigil is serving on {addresses} (loopback only, plain HTTP; other machines cannot reach it)";
        }

        if (urls.All(u => u.Https))
        {
            return $"Vigil is serving on {addresses} over HTTPS";
        }

        return $"Vigil is serving on {addresses}; WARNING: plain HTTP on a non-loopback address (--insecure-http): " +
            "passwords and session cookies cross the network unencrypted unless a TLS reverse proxy is in front";
    }
}
