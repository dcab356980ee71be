using System.CommandLine;
using System.Runtime.InteropServices;
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
            SettingsCommand.Build(),
            AccountsCommand.Build(),
            OrgCommand.Build(),
            DbCommand.Build(),
            ExceptionsCommand.Build(),
            ReviewCommand.Build(),
            ReportCommand.Build(),
            HistoryCommand.Build(),
            DiffCommand.Build(),
            AlertsCommand.Build(),
            ServeCommand.Build(),
            UsersCommand.Build(),
            WorkerCommand.Build(),
        };
        // Global: accepted before or after the command's name (Recursive), e.g. 'vigil --org acme sync' or 'vigil sync --org acme'.
        var organisation = new Option<string>("--org")
        {
            Description = "The organisation to work on (default: $VIGIL_ORG, else the default organisation); see 'vigil org list'",
            Recursive = true,
        };
        root.Options.Add(organisation);

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

        CliStore.OrganisationOption = parsed.GetValue(organisation);

        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns without a terminal; logs and CI captures read better wide.
            AnsiConsole.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 40 ? columns : 160;
        }

        // Ctrl+C (SIGINT) and SIGTERM cancel the command's token; the command stops at its next await, a stage in flight
        // commits nothing, and the process exits 130 or 143 with one line. System.CommandLine's own handling is off
        // (ProcessTerminationTimeout = null): it cancelled a token of its own and then let ours be used after disposal.
        // A second signal is not intercepted, so it ends the process the default way.
        using var cancel = new CancellationTokenSource();
        var signalled = 0;
        void OnSignal(PosixSignalContext context)
        {
            var code = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
            if (Interlocked.CompareExchange(ref signalled, code, 0) == 0)
            {
                context.Cancel = true;
                cancel.Cancel();
            }
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancel.Token);
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            // Whatever the cancellation surfaced as (OperationCanceledException, or a request it cut short), the cause is the signal.
            Console.Error.WriteLine("vigil: cancelled; nothing half-written was kept");
            return Volatile.Read(ref signalled);
        }
        catch (Exception e) when (e is UsageException or Vigil.App.InvalidRequestException)
        {
            Console.Error.WriteLine($"vigil: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is CliException or Vigil.App.OperationException or IOException or UnauthorizedAccessException or InvalidOperationException
                                   or Cloudflare.Api.CloudflareApiException or Cloudflare.Api.CloudflareResponseException)
        {
            // Expected failures get one plain line; a stack trace helps nobody who typed a command.
            Console.Error.WriteLine($"vigil: {e.Message}");
            return ExitCodes.Error;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 8) // SQLITE_READONLY
        {
            Console.Error.WriteLine($"vigil: {Storage.VigilHome.ReadOnlyMessage(Storage.VigilHome.Locate())}");
            return ExitCodes.Error;
        }
        catch (System.Data.Common.DbException e)
        {
            var where = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Storage.VigilDatabase.EnvironmentVariable))
                ? $"in {Storage.VigilHome.Resolve()}"
                : "named by VIGIL_DATABASE";
            Console.Error.WriteLine($"vigil: the Vigil database {where} could not be used: {e.Message}");
            return ExitCodes.Error;
        }
    }
}

/// <summary>A failure the user can act on; its message is printed as it is.</summary>
internal sealed class CliException(string message) : Exception(message);

/// <summary>A command line that parsed but makes no sense (e.g. two mutually exclusive options).</summary>
internal sealed class UsageException(string message) : Exception(message);
