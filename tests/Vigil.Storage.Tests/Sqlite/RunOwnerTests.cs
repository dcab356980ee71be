using System.Diagnostics;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Tests.Sqlite;

public sealed class RunOwnerTests
{
    [Fact]
    public void The_current_process_is_alive()
    {
        using var self = Process.GetCurrentProcess();

        Assert.True(RunOwner.CurrentProcess.IsAlive());
        Assert.True(new RunOwner(RunOwner.Of(self).Value).IsAlive());
    }

    [Fact]
    public void Another_process_is_alive_until_it_exits()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var other = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var owner = RunOwner.Of(other);
        Assert.True(owner.IsAlive());

        other.Kill();
        other.WaitForExit();

        Assert.False(owner.IsAlive());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("some-other-host|1|0")]
    public void An_owner_that_cannot_be_found_here_is_not_alive(string value) =>
        Assert.False(new RunOwner(value).IsAlive());

    [Fact]
    public void A_reused_process_id_is_not_the_same_owner()
    {
        var parts = RunOwner.CurrentProcess.Value.Split('|');
        var earlierProcessSamePid = new RunOwner($"{parts[0]}|{parts[1]}|{long.Parse(parts[2]) - 3_600_000}");

        Assert.False(earlierProcessSamePid.IsAlive());
    }
}
