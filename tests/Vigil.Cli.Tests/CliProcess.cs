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

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "vigil.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("VIGIL_MASTER_KEY");
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["COLUMNS"] = "200";

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr, string.Join(' ', args));
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
