using System.CommandLine;
using Spectre.Console;
using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>The command tree. Each verb lives in its own class under Commands/.</summary>
internal static class VigilCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        Render.InstallTerminalFilter();
        var root = new RootCommand("Vigil: compliance monitoring for Cloudflare (access review, zone security, audit evidence).")
        {
            DemoCommand.Build(),
            ConnectCommand.Build(),
            ConnectionsCommand.Build(),
            SyncCommand.Build(),
            ChecksCommand.Build(),
            StaffCommand.Build(),
            MapCommand.Build(),
            SystemsCommand.Build(),
            RunsCommand.Build(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"vigil: {error.Message}");
            }
            Console.Error.WriteLine("Run 'vigil --help' or 'vigil COMMAND --help' for usage.");
            return ExitCodes.Usage;
        }

        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns without a terminal; logs and CI captures read better wide.
            AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 40 ? columns : 160;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"vigil: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("vigil: cancelled; nothing half-written was kept");
            return ExitCodes.Error;
        }
        catch (Exception e) when (e is CliException or IOException or UnauthorizedAccessException or InvalidOperationException
                                   or Cloudflare.Api.CloudflareApiException or Cloudflare.Api.CloudflareResponseException)
        {
            // Expected failures get one plain line; a stack trace helps nobody who typed a command.
            Console.Error.WriteLine($"vigil: {e.Message}");
            return ExitCodes.Error;
        }
        catch (System.Data.Common.DbException e)
        {
            Console.Error.WriteLine($"vigil: the Vigil database in {Storage.VigilHome.Resolve()} could not be used: {e.Message}");
            return ExitCodes.Error;
        }
    }
}

/// <summary>A failure the user can act on; its message is printed as it is.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>A command line that parsed but makes no sense (e.g. two mutually exclusive options).</summary>
internal sealed class UsageException(string message) : Exception(message);
