using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Vigil.Core.Organisations;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Sqlite;

/// <summary>Migration 0010 moves a single company's home into the default organisation without losing a row or a credential.</summary>
public sealed class SqliteOrganisationUpgradeTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly MasterKey _key = MasterKey.Generate();
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_home_from_before_organisations_opens_with_all_its_data_and_credentials_in_the_default_organisation()
    {
        using (var old = new SqliteConnection($"Data Source={_home.DatabasePath};Pooling=False;Foreign Keys=True"))
        {
            old.Open();
            Execute(old, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            foreach (var migration in SqliteDatabase.KnownMigrations().Where(m => m.Version < 10))
            {
                Execute(old, migration.Sql);
                Execute(old, $"INSERT INTO schema_migrations VALUES ({migration.Version}, '{migration.Name}', '2026-01-01T00:00:00.0000000Z');");
            }

            Execute(old, """
                INSERT INTO connections (id, name, purpose, api_url, credential_kind, created_at)
                VALUES ('c-1', 'prod', 'both', 'https://api.cloudflare.com/client/v4', 'user_token', '2026-11-01T00:00:00.0000000Z');
                INSERT INTO people (email_key, email, name, status, aliases, updated_at)
                VALUES ('ada@example.com', 'ada@example.com', 'Ada', 'active', '[]', '2026-11-01T00:00:00.0000000Z');
                INSERT INTO identity_mappings (member_email_key, member_email, service_account_justification, created_at)
                VALUES ('ci@example.com', 'ci@example.com', 'CI', '2026-11-01T00:00:00.0000000Z');
                INSERT INTO critical_systems (name_key, name, allowed_roles, registered_at) VALUES ('cloudflare', 'cloudflare', '[]', '2026-11-01T00:00:00.0000000Z');
                INSERT INTO settings (key, value, updated_at) VALUES ('timezone', 'Europe/Paris', '2026-11-01T00:00:00.0000000Z');
                INSERT INTO sso_declarations (account_id, domains, evidence, declared_at) VALUES ('acc-1', '["example.com"]', 'IdP export', '2026-11-01T00:00:00.0000000Z');
                INSERT INTO sync_runs (id, trigger, owner, started_at, ended_at, status) VALUES ('run-1', 'cli', 'gone|1|0', '2026-11-01T00:00:00.0000000Z', '2026-11-01T00:01:00.0000000Z', 'complete');
                INSERT INTO stage_commits (run_id, connection_id, stage, committed_at) VALUES ('run-1', 'c-1', 'access', '2026-11-01T00:00:30.0000000Z');
                INSERT INTO snapshot_accounts (commit_id, ordinal, account_id, name, enforce_two_factor, connection_id) VALUES (1, 0, 'acc-1', 'Acme', 1, 'c-1');
                INSERT INTO evaluations (snapshot_id, evaluated_at, results) VALUES ('run-1', '2026-11-01T00:02:00.0000000Z', '[]');
                """);
            using var secret = old.CreateCommand();
            secret.CommandText = "INSERT INTO connection_secrets (connection_id, scheme, key_fingerprint, sealed) VALUES ('c-1', 'aes-256-gcm', $fingerprint, $sealed);";
            secret.Parameters.AddWithValue("$fingerprint", _key.Fingerprint);
            secret.Parameters.AddWithValue("$sealed", _key.Encrypt("c-1", "the-token"));
            secret.ExecuteNonQuery();
        }

        await using var store = await SqliteStore.OpenAsync(_home.DatabasePath, _key, new FakeTimeProvider(Sample.Start), Ct);

        Assert.Equal([Organisation.DefaultName], (await store.ListOrganisationsAsync(Ct)).Select(o => o.Name));
        Assert.Equal("prod", Assert.Single(await store.ListAsync(Ct)).Name);
        Assert.Equal("the-token", (await store.ReadSecretAsync("c-1", Ct)).Reveal());
        Assert.Equal("Ada", Assert.Single(await store.ListPeopleAsync(Ct)).Name);
        Assert.Equal("CI", Assert.Single(await store.ListMappingsAsync(Ct)).ServiceAccountJustification);
        Assert.NotNull(await store.FindSystemAsync("cloudflare", Ct));
        Assert.Equal("Europe/Paris", (await store.ListSettingsAsync(Ct))["timezone"]);
        Assert.Equal("IdP export", Assert.Single(await store.ListSsoDeclarationsAsync(Ct)).Evidence);
        Assert.Equal("run-1", Assert.Single(await store.ListRunsAsync(10, Ct)).Id);
        Assert.Equal("Acme", Assert.Single((await store.LoadCurrentSnapshotAsync(Ct))!.Accounts).Name);
        Assert.NotNull(await store.LoadLatestEvaluationAsync("run-1", Ct));

        // The same names may now exist in another organisation.
        var other = store.ForOrganisation(await store.AddOrganisationAsync("Other", Sample.Start, Ct));
        await other.SaveAsync(Sample.Connection("c-2", "prod"), new Core.Secret("other-token"), Ct);
        Assert.Equal("the-token", (await store.ReadSecretAsync("c-1", Ct)).Reveal());
    }

    public void Dispose() => _home.Dispose();

    private static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
