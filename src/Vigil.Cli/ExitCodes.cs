namespace Vigil.Cli;

/// <summary>Process exit codes: the CLI's stable contract with scripts and CI jobs.</summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>checks</c>, every check passed; for <c>sync</c>, a complete snapshot.</summary>
    public const int Ok = 0;
    /// <summary>An error: bad credential, unreadable file, failed sync.</summary>
    public const int Error = 1;
    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;
    /// <summary>At least one check failed (or could not be judged).</summary>
    public const int ChecksFailed = 3;
    /// <summary>The sync committed some data but not all (a stage failed or some reads were refused).</summary>
    public const int SyncPartial = 4;
    /// <summary>Stopped by Ctrl+C (SIGINT): 128 + 2, as shells report it. Nothing half-written is kept.</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM: 128 + 15. Nothing half-written is kept.</summary>
    public const int Terminated = 143;
}
