using Vigil.Core.Inventory;
using Vigil.Core.Storage;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Sync;

/// <summary>
/// When Vigil first saw each membership, carried forward from the current snapshot into the next access commit.
/// Cloudflare's member objects carry no invitation date, so this is what dates a pending invitation.
/// </summary>
internal sealed class MembershipFirstSeen
{
    private readonly Dictionary<(string AccountId, string MemberId), DateTimeOffset> _seen;

    private MembershipFirstSeen(Dictionary<(string, string), DateTimeOffset> seen) => _seen = seen;

    /// <summary>From the current snapshot; a membership it holds without a date (written before Vigil kept one) counts as first seen at that snapshot's access sync.</summary>
    public static async Task<MembershipFirstSeen> LoadAsync(ISyncStore store, CancellationToken ct)
    {
        var previous = await store.LoadCurrentSnapshotAsync(ct).ConfigureAwait(false);
        var seen = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var member in previous?.Members ?? [])
        {
            if ((member.FirstSeenAt ?? previous!.AccessSyncedAt) is { } at
                && (!seen.TryGetValue((member.AccountId, member.Id), out var known) || at < known))
            {
                seen[(member.AccountId, member.Id)] = at;
            }
        }

        return new MembershipFirstSeen(seen);
    }

    /// <summary>Each membership with the date it was first seen; one not seen before gets <paramref name="now"/> (the stage's commit time).</summary>
    public AccessStageData Apply(AccessStageData data, DateTimeOffset now) => data with
    {
        Members = [.. data.Members.Select(m => m with { FirstSeenAt = _seen.TryGetValue((m.AccountId, m.Id), out var at) ? at : now })],
    };
}
