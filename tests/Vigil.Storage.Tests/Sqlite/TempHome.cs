using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Tests.Sqlite;

/// <summary>A fresh Vigil home folder for one test, deleted afterwards.</summary>
internal sealed class TempHome : IDisposable
{
    public TempHome() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vigil-storage-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => System.IO.Path.Combine(Path, VigilHome.DatabaseFileName);

    /// <summary>The database file and its WAL and shared-memory files, as they are on disk now.</summary>
    public byte[] DatabaseBytes() =>
        new[] { DatabasePath, DatabasePath + "-wal", DatabasePath + "-shm" }
            .Where(File.Exists)
            .SelectMany(ReadShared)
            .ToArray();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
