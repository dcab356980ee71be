using System.Diagnostics;

namespace Vigil.Cli.Tests;

/// <summary>Runs the built vigil CLI as a separate process, as a user or a script would, with its own VIGIL_HOME.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Dictionary<string, string> _environment = [];

    public CliProcess()
    {
        Home = Directory.CreateTempSubdirectory("vigil-cli-test-").FullName;
        _environment["VIGIL_HOME"] = Home;
    }

    public string Home { get; }

    public CliProcess With(string variable, string value)
    {
        _environment[variable] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] args) => await Start(args).WaitAsync();

    /// <summary>Runs a command with VIGIL_HOME mounted read-only (a private mount namespace): even root cannot write there.</summary>
    public async Task<CliResult> RunOnReadOnlyHomeAsync(params string[] args) => await Start(args, readOnlyHome: true).WaitAsync();

    /// <summary>Starts a command and returns at once, for tests that signal or race it.</summary>
    public RunningCli Start(params string[] args) => Start(args, readOnlyHome: false);

    /// <summary>Runs a command with <paramref name="input"/> on its standard input (e.g. --password-stdin).</summary>
    public async Task<CliResult> RunWithInputAsync(string input, params string[] args) => await Start(args, readOnlyHome: false, input).WaitAsync();

    private RunningCli Start(string[] args, bool readOnlyHome, string? input = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "vigil.dll");
        var start = new ProcessStartInfo(readOnlyHome ? "unshare" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (readOnlyHome)
        {
            // unshare -m needs root (as the tests run here); elsewhere a user namespace (-r) grants the mount.
            foreach (var arg in new[] { Environment.UserName == "root" ? "-m" : "-rm", "sh", "-c", "mount --bind -o ro \"$0\" \"$0\" && exec \"$@\"", Home, "dotnet" })
            {
                start.ArgumentList.Add(arg);
            }
        }
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("VIGIL_MASTER_KEY");
        start.Environment.Remove("VIGIL_ORG");
        start.Environment.Remove("VIGIL_DATABASE");
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["COLUMNS"] = "200";

        var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }
        process.StandardInput.Close();
        return new RunningCli(process, string.Join(' ', args));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr, string CommandLine)
{
    public string Output => Stdout + Stderr;

    public CliResult ShouldExit(int expected)
    {
        Assert.True(ExitCode == expected, $"vigil {CommandLine} exited {ExitCode}, expected {expected}.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return this;
    }
}

/// <summary>A vigil process started in the background.</summary>
internal sealed class RunningCli : IDisposable
{
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;
    private readonly string _commandLine;

    public RunningCli(Process process, string commandLine)
    {
        Process = process;
        _commandLine = commandLine;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public Process Process { get; }

    /// <summary>Sends a POSIX signal (INT, TERM, KILL) as a user's kill(1) would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{name} {Process.Id}") { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<CliResult> WaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Process.WaitForExitAsync(timeout.Token);
        return new CliResult(Process.ExitCode, await _stdout, await _stderr, _commandLine);
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
        }
        Process.Dispose();
    }
}
