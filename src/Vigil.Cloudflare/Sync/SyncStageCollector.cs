using System.Collections.Concurrent;
using Vigil.Cloudflare.Api;
using Vigil.Core.Checks;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Sync;

/// <summary>What one stage of one connection gathers besides its rows: evidence and the reads it could not make.</summary>
internal sealed class SyncStageCollector(string stage, CredentialKind kind)
{
    private readonly ConcurrentQueue<RawPayload> _evidence = new();
    private readonly ConcurrentQueue<ReadGap> _gaps = new();

    /// <summary>"access" or "infra".</summary>
    public string Stage => stage;

    /// <summary>The data the enabled checks need (<see cref="SyncRequest.Needs"/>): the stage reads nothing else.</summary>
    public DataNeeds Needs { get; init; } = SyncRequest.Everything;

    /// <summary>True when some enabled check needs this data, so the stage should read it.</summary>
    public bool Reads(DataNeeds data) => (Needs & data) != 0;

    public void AddEvidence(RawPayload payload) => _evidence.Enqueue(payload);

    public void AddGap(ReadGap gap) => _gaps.Enqueue(gap);

    public IReadOnlyList<RawPayload> Evidence => [.. _evidence.OrderBy(e => e.ReceivedAt).ThenBy(e => e.Request, StringComparer.Ordinal)];

    public IReadOnlyList<ReadGap> Gaps => [.. _gaps.OrderBy(g => g.ResourceId, StringComparer.Ordinal).ThenBy(g => g.What, StringComparer.Ordinal)];

    /// <summary>
    /// Runs a read; when Cloudflare refuses it for lack of a permission, or answers 4xx for this one resource, records a
    /// gap and returns null. A refused credential, a rate limit or no answer at all propagates and fails the stage.
    /// </summary>
    public async Task<ApiResponse<T>?> ReadOrGapAsync<T>(Func<Task<ApiResponse<T>>> read, string resourceType, string? resourceId, string what)
    {
        try
        {
            var response = await read().ConfigureAwait(false);
            _evidence.Enqueue(response.Raw);
            return response;
        }
        catch (CloudflareApiException ex) when (TryRecordGap(ex, resourceType, resourceId, what))
        {
            return null;
        }
    }

    /// <summary>Records a gap and returns true when the failure is about this one read; false when it must fail the stage.</summary>
    public bool TryRecordGap(CloudflareApiException ex, string resourceType, string? resourceId, string what)
    {
        if (!IsGap(ex, kind))
        {
            return false;
        }
        var problem = ConnectionProblems.Classify(ex, kind);
        var missing = problem is { Code: "missing_permission" };
        var reason = missing
            ? $"Cloudflare refused the read (HTTP {ex.StatusCode}); the credential lacks \"{ex.Permission}\""
            : $"Cloudflare did not return it (HTTP {ex.StatusCode}{Codes(ex)})";
        _gaps.Enqueue(new ReadGap(stage, resourceType, resourceId, what, reason, missing ? ex.Permission : null));
        return true;
    }

    private static bool IsGap(CloudflareApiException ex, CredentialKind kind)
    {
        if (ex.StatusCode is < 400 or >= 500 or 429)
        {
            return false;
        }
        var problem = ConnectionProblems.Classify(ex, kind);
        return problem is null or { Code: "missing_permission" };
    }

    private static string Codes(CloudflareApiException ex) =>
        ex.Errors.Count == 0 ? "" : ", code " + string.Join("/", ex.Errors.Select(e => e.Code));
}
