using Vigil.Core.Sync;

namespace Vigil.Storage;

/// <summary>A raw API response as committed by one stage of one run, for evidence export.</summary>
public sealed record StoredEvidence(string RunId, string ConnectionId, SyncStageKind Stage, RawPayload Payload);
