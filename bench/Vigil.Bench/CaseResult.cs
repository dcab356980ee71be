using System.Text.Json.Serialization;

namespace Vigil.Bench;

/// <summary>What the child process measured for one case; written to stdout as one JSON line.</summary>
internal sealed record CaseResult(
    string Status,
    string? Reason,
    int Accounts,
    int Members,
    int Zones,
    int ApiCalls,
    int RateLimited,
    double AccessCommittedSeconds,
    double WallSeconds,
    double MeasurementPauseSeconds,
    double BudgetWaitSeconds,
    long BaselineLiveHeapBytes,
    long EarlyLiveHeapBytes,
    int EarlyMembers,
    long AccessEndLiveHeapBytes,
    int AccessMembers,
    long InfraEndLiveHeapBytes,
    long PeakManagedHeapBytes,
    long PeakWorkingSetBytes,
    long AccessResponseBytes,
    long InfraResponseBytes);

[JsonSerializable(typeof(CaseResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
