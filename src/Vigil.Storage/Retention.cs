using Vigil.Core.Sync;

namespace Vigil.Storage;

/// <summary>One stage commit as retention sees it.</summary>
/// <param name="RunSeq">The run's order among all runs.</param>
/// <param name="Held">A review campaign or report manifest holds the run's snapshot.</param>
internal sealed record RetentionCommit(long Id, string ConnectionId, string Stage, long RunSeq, string RunId, DateTimeOffset RunStartedAt,
    SyncStatus RunStatus, bool Held);

/// <summary>Which stage commits a retention pass may delete, the same on both engines.</summary>
internal static class Retention
{
    /// <summary>
    /// Commits of runs started before <paramref name="before"/>, except: the newest commit of each connection and stage
    /// (the current data), every commit a held run's snapshot is made of (a snapshot as of run R is the newest commit of
    /// each connection and stage up to R, so a held run keeps older runs' commits it still shows), and a running run's.
    /// </summary>
    public static IReadOnlyList<RetentionCommit> CommitsToPrune(IReadOnlyList<RetentionCommit> commits, DateTimeOffset before)
    {
        var keep = new HashSet<long>();
        var streams = commits.GroupBy(c => (c.ConnectionId, c.Stage)).Select(g => g.OrderBy(c => c.RunSeq).ThenBy(c => c.Id).ToList()).ToList();
        var heldSeqs = commits.Where(c => c.Held).Select(c => c.RunSeq).Distinct().ToList();
        foreach (var stream in streams)
        {
            keep.Add(stream[^1].Id);
            foreach (var held in heldSeqs)
            {
                if (stream.LastOrDefault(c => c.RunSeq <= held) is { } shown)
                {
                    keep.Add(shown.Id);
                }
            }
        }

        return commits
            .Where(c => c.RunStartedAt < before && c.RunStatus != SyncStatus.Running && !c.Held && !keep.Contains(c.Id))
            .ToList();
    }
}
