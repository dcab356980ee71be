using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Organisations;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Core.Systems;
using Vigil.Storage.Postgres;
using Vigil.Storage.Tests.StoreContract;

namespace Vigil.Storage.Tests.Postgres;

/// <summary>
/// Two organisations with the same connection names and ids, member emails, zone names, people and settings keys:
/// nothing of one is visible under the other, through the store or through raw SQL under row-level security.
/// </summary>
public sealed class PostgresIsolationTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly PostgresTestDatabase _database = new();
    private readonly FakeTimeProvider _time = new(Sample.Start);
    private readonly MasterKey _key = MasterKey.Generate();

    public Task InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Every_store_read_under_one_organisation_contains_nothing_of_another()
    {
        await using var store = await OpenAsync();
        var a = store.ForOrganisation(await store.AddOrganisationAsync("Alpha Corp", Sample.Start, Ct));
        var b = store.ForOrganisation(await store.AddOrganisationAsync("Beta Corp", Sample.Start, Ct));
        var runA = await FillAsync(a, "alpha");
        var runB = await FillAsync(b, "beta");

        var seenByA = await ReadEverythingAsync(a, runA);
        var seenByB = await ReadEverythingAsync(b, runB);

        Assert.Contains("alpha", seenByA);
        Assert.DoesNotContain("beta", seenByA, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(runB, seenByA);
        Assert.Contains("beta", seenByB);
        Assert.DoesNotContain("alpha", seenByB, StringComparison.OrdinalIgnoreCase);
        // A's run id means nothing under B.
        Assert.Null(await b.GetRunAsync(runA, Ct));
        Assert.Null(await b.LoadSnapshotAsync(runA, Ct));
        Assert.Empty(await ToListAsync(b.ReadEvidenceAsync(runA, Ct)));
        Assert.Equal("token-alpha", (await a.ReadSecretAsync("c-1", Ct)).Reveal());
        Assert.Equal("token-beta", (await b.ReadSecretAsync("c-1", Ct)).Reveal());
        // The default organisation sees neither.
        Assert.Empty(await store.ListAsync(Ct));
        Assert.Null(await store.LoadCurrentSnapshotAsync(Ct));
        Assert.Empty(await store.ListRunsAsync(10, Ct));
    }

    [Fact]
    public async Task Raw_sql_as_the_application_role_sees_only_the_organisation_set_and_nothing_without_one()
    {
        await using var store = await OpenAsync();
        var alpha = await store.AddOrganisationAsync("Alpha Corp", Sample.Start, Ct);
        var beta = await store.AddOrganisationAsync("Beta Corp", Sample.Start, Ct);
        await FillAsync(store.ForOrganisation(alpha), "alpha");
        await FillAsync(store.ForOrganisation(beta), "beta");
        await FillAsync(store, "default");

        await using var admin = await _database.OpenAdminAsync();
        var tables = await TenantTablesAsync(admin);
        Assert.Equal(tables.Order(StringComparer.Ordinal), PostgresStore.TenantTables.Order(StringComparer.Ordinal));

        foreach (var table in tables)
        {
            // As the owner-free application role, organisation A set: every row is A's, and some are there.
            var (total, foreign) = await CountAsync(admin, table, alpha.Id);
            Assert.True(foreign == 0, $"{table}: {foreign} rows of another organisation visible under {alpha.Name}");
            Assert.True(total > 0, $"{table}: the test wrote no row for {alpha.Name}");

            // A query missing the organisation returns nothing.
            Assert.Equal((0L, 0L), await CountAsync(admin, table, organisationId: null));
        }

        // Row-level security also refuses to write another organisation's rows.
        await using var tx = await admin.BeginTransactionAsync();
        await using var write = new NpgsqlCommand(
            $"SET LOCAL ROLE {PostgresDatabase.AppRole}; SELECT set_config('vigil.organisation_id', '{alpha.Id}', true); " +
            $"INSERT INTO settings (organisation_id, key, value, updated_at) VALUES ('{beta.Id}', 'timezone', 'UTC', 'x');", admin, tx);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_application_role_is_not_the_owner_and_cannot_bypass_row_level_security()
    {
        await using var store = await OpenAsync();
        await using var admin = await _database.OpenAdminAsync();
        await using var role = new NpgsqlCommand(
            $"SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = '{PostgresDatabase.AppRole}';", admin);
        await using (var reader = await role.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((false, false, false), (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2)));
        }

        await using var tables = new NpgsqlCommand("""
            SELECT c.relname, pg_get_userbyid(c.relowner), c.relrowsecurity, c.relforcerowsecurity
            FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname = ANY(@tables);
            """, admin);
        tables.Parameters.AddWithValue("tables", PostgresStore.TenantTables.ToArray());
        await using var rows = await tables.ExecuteReaderAsync();
        var seen = 0;
        while (await rows.ReadAsync())
        {
            seen++;
            Assert.NotEqual(PostgresDatabase.AppRole, rows.GetString(1));
            Assert.True(rows.GetBoolean(2) && rows.GetBoolean(3), $"{rows.GetString(0)} lacks ENABLE/FORCE ROW LEVEL SECURITY");
        }

        Assert.Equal(PostgresStore.TenantTables.Count, seen);
    }

    [Fact]
    public async Task Organisations_are_unique_ignoring_case_and_a_forced_removal_deletes_every_row_in_one_go()
    {
        await using var store = await OpenAsync();
        var alpha = await store.AddOrganisationAsync("Alpha Corp", Sample.Start, Ct);
        var duplicate = await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddOrganisationAsync("ALPHA corp", Sample.Start, Ct));
        Assert.Contains("Alpha Corp", duplicate.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddOrganisationAsync(" padded", Sample.Start, Ct));
        var beta = await store.AddOrganisationAsync("beta", Sample.Start, Ct);
        Assert.Equal(["default", "Alpha Corp", "beta"], (await store.ListOrganisationsAsync(Ct)).Select(o => o.Name));
        Assert.Equal(alpha, await store.FindOrganisationAsync("alpha CORP", Ct));

        await FillAsync(store.ForOrganisation(alpha), "alpha");
        await FillAsync(store.ForOrganisation(beta), "beta");
        Assert.Equal(1, await store.CountConnectionsAsync(alpha.Id, Ct));
        Assert.Equal(OrganisationRemoval.HasConnections, await store.RemoveOrganisationAsync("alpha corp", force: false, Ct));
        Assert.Equal(OrganisationRemoval.IsDefault, await store.RemoveOrganisationAsync("default", force: true, Ct));
        Assert.Equal(OrganisationRemoval.NotFound, await store.RemoveOrganisationAsync("gamma", force: true, Ct));

        Assert.Equal(OrganisationRemoval.Removed, await store.RemoveOrganisationAsync("alpha corp", force: true, Ct));

        await using var admin = await _database.OpenAdminAsync();
        foreach (var table in PostgresStore.TenantTables)
        {
            Assert.Equal((0L, 0L), await CountAsync(admin, table, alpha.Id));
            Assert.True((await CountAsync(admin, table, beta.Id)).Total > 0, $"{table}: beta's rows went too");
        }

        Assert.Null(await store.FindOrganisationAsync("Alpha Corp", Ct));
        Assert.Equal(["default", "beta"], (await store.ListOrganisationsAsync(Ct)).Select(o => o.Name));
    }

    private Task<PostgresStore> OpenAsync() => _database.UrlAsync().ContinueWith(url => PostgresStore.OpenAsync(url.Result, _key, _time, Ct)).Unwrap();

    // Writes one of everything, each value marked with the organisation's tag; the shared names are the same in both.
    private static async Task<string> FillAsync(IVigilStore store, string tag)
    {
        await store.SaveAsync(Sample.Connection("c-1", "prod"), new Secret("token-" + tag), Ct);
        var run = await store.StartRunAsync("cli-" + tag, Sample.Start, Ct);
        var access = Sample.Access("c-1", "acc-" + tag, "ada@example.com", $"{tag}@example.com") with
        {
            Gaps = [new ReadGap("access", "role", "acc-" + tag, "GET roles " + tag, "HTTP 403", null)],
            Evidence = [new RawPayload("GET /accounts " + tag, Sample.Start, $$"""{"org":"{{tag}}"}"""), new RawPayload("GET /shared", Sample.Start, "{}")],
            AccountTokens = [new AccountToken("tok-" + tag, "acc-" + tag, "deploy " + tag, "active", Sample.Start, null, null, null, null, [], [], null, [])],
            AuditLog = [new AuditLogEntry("entry-" + tag, "acc-" + tag, Sample.Start, "delete", "account.member", "m-" + tag, null, tag + "@example.com", "user",
                "DELETE", $"/client/v4/accounts/acc-{tag}/members/m-{tag}", "success")],
        };
        await store.CommitAccessStageAsync(run.Id, "c-1", access, Sample.Start.AddMinutes(1), Ct);
        var infra = Sample.Infra("acc-" + tag, "shop.example") with
        {
            Zones = [new Zone("z-shop", "shop.example", "acc-" + tag, "active", false, "plan-" + tag, Sample.SecureZone())],
            AccountRulesets = [new AccountRulesets("acc-" + tag, new Dictionary<string, PhaseEntrypoint?> { [RulesetPhases.ManagedWaf] = null })],
            DnsRecords = [new DnsRecord("rec-" + tag, "z-shop", "TXT", "shop.example", "v=spf1 -all " + tag, null, 1)],
            AccountLogpush = [new AccountLogpush("acc-" + tag, [])],
        };
        await store.CommitInfraStageAsync(run.Id, "c-1", infra, Sample.Start.AddMinutes(2), Ct);
        await Sample.FinishAsync(store, run);
        await store.HoldSnapshotAsync(run.Id, "report " + tag, Ct);
        await store.UpsertPeopleAsync([new Person("ada@example.com", "Ada " + tag, PersonStatus.Active, "engineer-" + tag, null, [], null)], Ct);
        await store.SaveMappingAsync(new IdentityMapping("bot@example.com", null, "ci bot of " + tag, Sample.Start), Ct);
        await store.SaveSystemAsync(new CriticalSystem("cloudflare", [new AllowedOrgRole("engineer-" + tag, ["Administrator"])], Sample.Start), Ct);
        await store.SaveSettingAsync("timezone", "Europe/" + tag, Ct);
        await store.SaveSsoDeclarationAsync(new SsoDeclaration("acc-shared", [tag + ".example"], "okta " + tag, Sample.Start), Ct);
        await store.SaveEvaluationAsync(new Evaluation(run.Id, Sample.Start.AddMinutes(3), []), Ct);
        // A second connection, removed: connection_removals gets a row.
        await store.SaveAsync(Sample.Connection("c-2", "lab"), new Secret("lab-" + tag), Ct);
        await store.RemoveAsync("lab", Ct);
        // An access review with every kind of history row, and a remediate credential with one call: same ids in every organisation.
        var reviews = (IReviewStore)store;
        await reviews.SaveCampaignAsync(new Campaign("camp-1", "cloudflare", "Q4 " + tag, CampaignStatus.Open, Sample.Start, null, tag + "@example.com", [], run.Id, Sample.Start, false, null, null, []),
            [new ReviewItem("camp-1", "acc-" + tag, "Acme " + tag, "m-1", null, "ada@example.com", "accepted", true, null, null, null, null, [], null, [], "boss@example.com", ItemChange.New, [])], Ct);
        await reviews.AddDecisionsAsync([new ReviewDecision("d-1", "camp-1", "acc-" + tag, "m-1", DecisionKind.Revoke, [], "boss@example.com", Sample.Start, "left " + tag, run.Id)], Ct);
        await reviews.ReassignAsync(new Reassignment("camp-1", "acc-" + tag, "m-1", "boss@example.com", "sec@example.com", tag + "@example.com", Sample.Start), Ct);
        await reviews.AddVerificationsAsync([new VerificationEvent("camp-1", "d-1", "acc-" + tag, "m-1", VerificationState.Verified, run.Id, Sample.Start, Sample.Start, "gone " + tag)], Ct);
        var remediation = (IRemediationStore)store;
        await remediation.SaveRemediationCredentialAsync(new RemediationCredential("r-1", "fix", "https://api.example", null, CredentialKind.UserToken, null, Sample.Start, "ok " + tag),
            new Secret("write-" + tag), Ct);
        await remediation.AddRemediationAttemptAsync(new RemediationAttempt("camp-1", "d-1", "acc-" + tag, "m-1", "fix", "DELETE", "/accounts/x/members/y", null,
            RemediationOutcome.Applied, 200, [], "removed " + tag, Sample.Start), Ct);
        await store.SaveAlertChannelAsync(new Core.Alerts.AlertChannel("ch-" + tag, Core.Alerts.AlertChannelKind.Webhook, "https://hooks.example/…", Sample.Start), new Secret("{}"), Ct);
        await store.SaveAlertConditionsAsync([new Core.Alerts.AlertCondition("sync", run.Id, Sample.Start)], [], Ct);
        await store.AddAlertLogAsync([new Core.Alerts.AlertLogEntry("a-" + tag, Sample.Start, "test", "test", "test " + tag, "ch-" + tag, "webhook", "sent", 1, null, Sample.Start)], Ct);
        await store.RecordAlertDeliveriesAsync([], [new Core.Alerts.PendingAlertDelivery("p-" + tag, "ch-" + tag, "{}", 1, 3, Sample.Start, "HTTP 503")], Ct);
        await ((Core.Storage.IUserStore)store).AddUserAsync(new Core.Users.WebUser($"{tag}@users.example", Core.Users.UserRole.Viewer, "hash-" + tag, "stamp", Sample.Start, ApiKeyId: "key-" + tag), Ct);
        return run.Id;
    }

    private static async Task<string> ReadEverythingAsync(IVigilStore store, string runId)
    {
        var everything = new List<object?>
        {
            await store.ListAsync(Ct),
            await store.FindAsync("prod", Ct),
            await store.ListRunsAsync(100, Ct),
            await store.GetRunAsync(runId, Ct),
            await store.LoadCurrentSnapshotAsync(Ct),
            await store.LoadSnapshotAsync(runId, Ct),
            await ToListAsync(store.ReadEvidenceAsync(runId, Ct)),
            await store.ListPeopleAsync(Ct),
            await ToListAsync(store.StreamPeopleAsync(Ct)),
            await store.ListMappingsAsync(Ct),
            await store.FindSystemAsync("cloudflare", Ct),
            await store.ListSsoDeclarationsAsync(Ct),
            await store.ListSettingsAsync(Ct),
            await store.LoadLatestEvaluationAsync(runId, Ct),
            (await store.ReadSecretAsync("c-1", Ct)).Reveal(),
            await ((IReviewStore)store).LoadReviewStateAsync(Ct),
            await ((IRemediationStore)store).ListRemediationCredentialsAsync(Ct),
            await ((IRemediationStore)store).ListRemediationAttemptsAsync("camp-1", Ct),
            (await ((IRemediationStore)store).ReadRemediationSecretAsync("r-1", Ct)).Reveal(),
            await ((Core.Storage.IUserStore)store).ListUsersAsync(Ct),
        };
        Assert.DoesNotContain(null, everything);
        return JsonSerializer.Serialize(everything);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    internal static async Task<List<string>> TenantTablesAsync(NpgsqlConnection admin)
    {
        await using var select = new NpgsqlCommand("""
            SELECT c.table_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND c.column_name = 'organisation_id' AND t.table_type = 'BASE TABLE';
            """, admin);
        await using var reader = await select.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    // As vigil_app, with the organisation set (or not): the rows visible, and those of another organisation among them.
    private static async Task<(long Total, long Foreign)> CountAsync(NpgsqlConnection admin, string table, string? organisationId)
    {
        await using var tx = await admin.BeginTransactionAsync();
        var setting = organisationId is null ? "" : $"SELECT set_config('vigil.organisation_id', '{organisationId}', true); ";
        await using var count = new NpgsqlCommand(
            $"SET LOCAL ROLE {PostgresDatabase.AppRole}; {setting}" +
            $"SELECT COUNT(*), COUNT(*) FILTER (WHERE organisation_id IS DISTINCT FROM '{organisationId ?? ""}') FROM {table};", admin, tx);
        await using var reader = await count.ExecuteReaderAsync();
        // The result of the last statement: skip the set_config row when there is one.
        if (organisationId is not null)
        {
            await reader.NextResultAsync();
        }

        Assert.True(await reader.ReadAsync());
        var result = (reader.GetInt64(0), reader.GetInt64(1));
        await reader.DisposeAsync();
        await tx.RollbackAsync();
        return result;
    }
}
