using System.Diagnostics;

namespace Vigil.Simulation.ContractTests.OfficialSdk;

/// <summary>
/// The newcomer's path: `./test` on a fresh clone installs the SDK the OfficialSdk tests need (npm ci when node_modules
/// is missing), says what to install when Node.js is missing, and `.ci/run` uses the same step. Runs the real scripts in
/// a scratch copy with stand-ins for dotnet, node and npm on PATH.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TestCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("vigil-test-command-").FullName;

    [Fact]
    public async Task A_fresh_clone_gets_the_sdk_installed_once_by_the_test_command()
    {
        var tools = Tools(withNode: true);

        var first = await RunTestAsync(tools);
        var second = await RunTestAsync(tools);

        Assert.Equal(["tests/sdk-check: ci --no-audit --no-fund --loglevel=error"], NpmCalls());
        Assert.EndsWith("1 passed, 0 failed", first.Stdout.TrimEnd());
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
    }

    [Fact]
    public async Task Without_node_the_test_command_says_what_to_install_and_still_runs_the_tests()
    {
        var run = await RunTestAsync(Tools(withNode: false));

        Assert.Contains("Node.js 20 or later with npm is needed", run.Stderr);
        Assert.Contains("apt-get install nodejs npm", run.Stderr);
        Assert.EndsWith("1 passed, 0 failed", run.Stdout.TrimEnd());
        Assert.Empty(NpmCalls());
    }

    [Fact]
    public void Ci_installs_through_the_same_command()
    {
        var ci = File.ReadAllText(Path.Combine(RepositoryLayout.RepositoryRoot(), ".ci", "run"));

        Assert.Contains("tests/sdk-check/install", ci, StringComparison.Ordinal);
        Assert.DoesNotContain("npm ci", ci, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Tools(bool withNode)
    {
        var repository = RepositoryLayout.RepositoryRoot();
        var clone = Path.Combine(_root, "clone");
        Directory.CreateDirectory(Path.Combine(clone, "tests", "sdk-check"));
        File.Copy(Path.Combine(repository, "test"), Path.Combine(clone, "test"));
        File.Copy(Path.Combine(repository, "tests", "sdk-check", "install"), Path.Combine(clone, "tests", "sdk-check", "install"));
        File.SetUnixFileMode(Path.Combine(clone, "tests", "sdk-check", "install"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Copy(Path.Combine(repository, "tests", "sdk-check", "package.json"), Path.Combine(clone, "tests", "sdk-check", "package.json"));

        var bin = Path.Combine(_root, "bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "bash", "env", "mktemp", "grep", "awk", "tee", "tr", "dirname", "rm", "cat", "mkdir", "basename" })
        {
            if (Which(tool) is { } path)
            {
                File.CreateSymbolicLink(Path.Combine(bin, tool), path);
            }
        }

        Script(bin, "dotnet", """
            if [ "$1" = test ]; then
              echo "Passed!  - Failed:     0, Passed:     1, Skipped:     0, Total:     1, Duration: 1 s - Stub.Tests.dll (net10.0)"
            fi
            exit 0
            """);
        if (withNode)
        {
            Script(bin, "node", "exit 0");
            Script(bin, "npm", $"""
                echo "$(basename "$(dirname "$PWD")")/$(basename "$PWD"): $*" >> "{_root}/npm.log"
                mkdir -p node_modules/cloudflare
                """);
        }

        return bin;
    }

    private List<string> NpmCalls()
    {
        var log = Path.Combine(_root, "npm.log");
        return File.Exists(log) ? [.. File.ReadAllLines(log)] : [];
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunTestAsync(string bin)
    {
        var start = new ProcessStartInfo(Path.Combine(bin, "bash"))
        {
            WorkingDirectory = Path.Combine(_root, "clone"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("./test");
        start.Environment["PATH"] = bin;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static void Script(string bin, string name, string body)
    {
        var path = Path.Combine(bin, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
}
