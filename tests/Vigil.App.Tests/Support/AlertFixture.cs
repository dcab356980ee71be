using Microsoft.Extensions.Time.Testing;
using Vigil.App.Alerts;
using Vigil.Core.Checks;
using Vigil.Storage;
using Vigil.Storage.Sqlite;

namespace Vigil.App.Tests.Support;

/// <summary>A real SQLite store in a temporary folder, a fake clock, and the alert service over them.</summary>
internal sealed class AlertFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("vigil-alerts-test-");
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    private AlertFixture(SqliteStore store, FakeTimeProvider time, AlertRetryPolicy retry)
    {
        Store = store;
        Time = time;
        Alerts = new AlertService(store, time, _http, retry);
    }

    public SqliteStore Store { get; }

    public FakeTimeProvider Time { get; }

    public AlertService Alerts { get; }

    public string DatabasePath => Store.DatabasePath;

    /// <param name="retry">Default: 3 attempts, no wait between them (the backoff test uses its own).</param>
    public static async Task<AlertFixture> StartAsync(AlertRetryPolicy? retry = null)
    {
        var time = new FakeTimeProvider(Start);
        var folder = Directory.CreateTempSubdirectory("vigil-alerts-db-");
        var store = await SqliteStore.OpenAsync(Path.Combine(folder.FullName, "vigil.db"), MasterKey.Generate(), time, CancellationToken.None);
        return new AlertFixture(store, time, retry ?? new AlertRetryPolicy(3, TimeSpan.Zero, TimeSpan.FromSeconds(10)));
    }

    /// <summary>The inputs of an evaluation in which 2FA fails for the given members (and every other check passes).</summary>
    public AlertInputs Failing2fa(params string[] members) => new(Evaluation(members), null, null, TimeSpan.FromDays(7), TimeZoneInfo.Utc, Time.GetUtcNow());

    public static Evaluation Evaluation(params string[] failingMembers) => new("run-1", Start,
    [
        new CheckResult(TwoFactor, failingMembers.Length == 0 ? CheckStatus.Pass : CheckStatus.Fail,
            [.. failingMembers.Select(m => new Finding(FindingStatus.Fail, "member", "m-" + m, "acc-1", m, $"{m} has 2FA off", "Turn 2FA on")),
             new Finding(FindingStatus.Pass, "member", "m-ok", "acc-1", "ok@example.com", "2FA on", null)]),
        new CheckResult("cloudflare.super-admins-bounded", CheckStatus.Pass, []),
    ]);

    public const string TwoFactor = "cloudflare.member-2fa-enabled";

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path.GetDirectoryName(Store.DatabasePath)!, recursive: true);
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
