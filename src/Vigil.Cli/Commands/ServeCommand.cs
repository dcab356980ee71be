using System.CommandLine;
using Vigil.Storage;
using Vigil.Web;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil serve [--urls URLS] [--cert FILE [--cert-key FILE] [--cert-password-env VAR]] [--insecure-http]</c>: the web
/// app and the API over this Vigil database (every organisation; each user sees their own). Loopback by default; any
/// other address needs HTTPS or an explicit --insecure-http.
/// </summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var options = new ServeCommandOptions();
        var command = new Command("serve", "Serve the web app and the REST API (sign in with a user from 'vigil users add')");
        options.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var serve = options.Read(parse);
            await using var store = await CliStore.OpenDatabaseAsync(ct);
            return await ServeAsync(store, serve, onStarted: null, ct);
        });
        return command;
    }

    /// <summary>Starts the server, prints where it listens (and any warning), and runs until Ctrl+C.</summary>
    internal static async Task<int> ServeAsync(IVigilStore store, ServeOptions options, Action<VigilWebServer>? onStarted, CancellationToken ct)
    {
        await using var server = VigilWebServer.Create(store, options);
        await server.StartAsync(ct);
        Console.WriteLine(server.Banner);
        onStarted?.Invoke(server);
        Console.WriteLine("Press Ctrl+C to stop.");
        await server.RunUntilCancelledAsync(ct);
        Console.Error.WriteLine("vigil: the server stopped");
        // Ctrl+C is how a server is meant to stop: not an error.
        return ExitCodes.Ok;
    }
}

/// <summary>The listening options shared by <c>vigil serve</c> and <c>vigil demo --serve</c>.</summary>
internal sealed class ServeCommandOptions
{
    private readonly Option<string> _urls = new("--urls")
    {
        Description = $"Where to listen, ';'-separated (default {ServeOptions.DefaultUrls}); a non-loopback address needs https with --cert, or --insecure-http",
        DefaultValueFactory = _ => ServeOptions.DefaultUrls,
    };

    private readonly Option<FileInfo?> _cert = new("--cert") { Description = "The HTTPS certificate: a PFX (.pfx/.p12) or PEM file with its private key" };

    private readonly Option<FileInfo?> _certKey = new("--cert-key") { Description = "The PEM private key, when --cert is a PEM certificate without its key" };

    private readonly Option<string> _certPasswordEnv = new("--cert-password-env")
    {
        Description = $"The environment variable holding the certificate's password (default {ServeOptions.DefaultCertificatePasswordVariable}); never pass a password as an argument",
        DefaultValueFactory = _ => ServeOptions.DefaultCertificatePasswordVariable,
    };

    private readonly Option<bool> _insecure = new("--insecure-http")
    {
        Description = "Allow plain HTTP on a non-loopback address (only behind a TLS-terminating reverse proxy on a trusted network)",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_urls);
        command.Options.Add(_cert);
        command.Options.Add(_certKey);
        command.Options.Add(_certPasswordEnv);
        command.Options.Add(_insecure);
    }

    public ServeOptions Read(ParseResult parse)
    {
        var passwordVariable = parse.GetValue(_certPasswordEnv)!;
        var password = Environment.GetEnvironmentVariable(passwordVariable);
        return new ServeOptions
        {
            Urls = parse.GetValue(_urls)!,
            CertificatePath = parse.GetValue(_cert)?.FullName,
            CertificateKeyPath = parse.GetValue(_certKey)?.FullName,
            CertificatePassword = string.IsNullOrEmpty(password) ? null : password,
            InsecureHttp = parse.GetValue(_insecure),
        };
    }
}
