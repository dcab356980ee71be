namespace Vigil.Core.Sync;

/// <summary>A stage commit refused because its connection was removed (or replaced) while the stage was reading.</summary>
public sealed class ConnectionRemovedException(string message) : InvalidOperationException(message);

/// <summary>A sync refused because another sync is running on the same store; the message names that run and its process.</summary>
public sealed class SyncAlreadyRunningException(string message) : InvalidOperationException(message);
