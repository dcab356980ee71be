using Npgsql;
using Vigil.Core.Organisations;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <summary>
    /// Every table holding an organisation's rows, children before parents: the order a forced removal deletes in.
    /// A new tenant table is added here (a test compares this list with the tables that have organisation_id).
    /// </summary>
    internal static readonly IReadOnlyList<string> TenantTables =
    [
        "snapshot_accounts", "snapshot_roles", "snapshot_members", "snapshot_zones", "snapshot_account_rulesets", "snapshot_gaps",
        "snapshot_dns_records", "snapshot_account_tokens", "snapshot_account_logpush",
        "evidence_payloads", "evidence_bodies", "snapshot_holds", "stage_commits", "evaluations", "sync_runs",
        "connection_secrets", "connections", "connection_removals", "people", "identity_mappings", "critical_systems",
        "sso_declarations", "settings",
        "review_remediations", "review_verifications", "review_reassignments", "review_decisions", "review_items", "review_campaigns",
        "remediation_credentials",
        "alert_channels", "alert_conditions", "alert_log",
        "audit_log_entries",
        "web_users",
        "alert_pending",
        "evaluation_counts",
    ];

    public async Task<IReadOnlyList<Organisation>> ListOrganisationsAsync(CancellationToken ct)
    {
        await using var db = await OpenAsync(ct);
        await using var list = new NpgsqlCommand(
            "SELECT id, name, created_at FROM organisations ORDER BY id <> 'default', name_key COLLATE \"C\", id;", db);
        await using var reader = await list.ExecuteReaderAsync(ct);
        var organisations = new List<Organisation>();
        while (await reader.ReadAsync(ct))
        {
            organisations.Add(new Organisation(reader.GetString(0), reader.GetString(1), Db.ParseTime(reader.GetString(2))));
        }

        return organisations;
    }

    public async Task<Organisation?> FindOrganisationAsync(string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var db = await OpenAsync(ct);
        await using var find = new NpgsqlCommand("SELECT id, name, created_at FROM organisations WHERE name_key = @key;", db);
        find.Parameters.AddWithValue("key", NameKey(name));
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new Organisation(reader.GetString(0), reader.GetString(1), Db.ParseTime(reader.GetString(2))) : null;
    }

    public async Task<Organisation> AddOrganisationAsync(string name, DateTimeOffset createdAt, CancellationToken ct)
    {
        if (Organisation.ValidateName(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        var organisation = new Organisation(Guid.CreateVersion7(createdAt).ToString(), name, createdAt);
        await using var db = await OpenAsync(ct);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO organisations (id, name, name_key, created_at) VALUES (@id, @name, @key, @created_at);", db);
        insert.Parameters.AddWithValue("id", organisation.Id);
        insert.Parameters.AddWithValue("name", name);
        insert.Parameters.AddWithValue("key", NameKey(name));
        insert.Parameters.AddWithValue("created_at", Db.Time(createdAt));
        try
        {
            await insert.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            var existing = await FindOrganisationAsync(name, ct);
            throw new InvalidOperationException($"an organisation named '{existing?.Name ?? name}' already exists (names ignore case)", e);
        }

        return organisation;
    }

    /// <summary>Deletes the organisation's rows in every tenant table and then the organisation, in one transaction.</summary>
    public async Task<OrganisationRemoval> RemoveOrganisationAsync(string name, bool force, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        var organisation = await FindOrganisationAsync(name, ct);
        if (organisation is null)
        {
            return OrganisationRemoval.NotFound;
        }

        if (organisation.IsDefault)
        {
            return OrganisationRemoval.IsDefault;
        }

        await using var tenant = await BeginAsync(organisation.Id, ct);
        await using (var count = tenant.Command("SELECT COUNT(*) FROM connections WHERE organisation_id = @org;"))
        {
            if ((long)(await count.ExecuteScalarAsync(ct))! > 0 && !force)
            {
                return OrganisationRemoval.HasConnections;
            }
        }

        // Review history is append-only (a trigger refuses deletes) except when the whole organisation goes, which says so here.
        await using (var removing = tenant.Command("SELECT set_config('vigil.removing_organisation', @org, true);"))
        {
            await removing.ExecuteNonQueryAsync(ct);
        }

        foreach (var table in TenantTables)
        {
            await using var delete = tenant.Command($"DELETE FROM {table} WHERE organisation_id = @org;");
            await delete.ExecuteNonQueryAsync(ct);
        }

        await using (var remove = tenant.Command("DELETE FROM organisations WHERE id = @org;"))
        {
            if (await remove.ExecuteNonQueryAsync(ct) == 0)
            {
                return OrganisationRemoval.NotFound;
            }
        }

        await tenant.CommitAsync(ct);
        return OrganisationRemoval.Removed;
    }

    public async Task<int> CountConnectionsAsync(string organisationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(organisationId);
        await using var tenant = await BeginAsync(organisationId, ct, readOnly: true);
        await using var count = tenant.Command("SELECT COUNT(*) FROM connections WHERE organisation_id = @org;");
        return (int)(long)(await count.ExecuteScalarAsync(ct))!;
    }

    private static string NameKey(string name) => name.Trim().ToLowerInvariant();
}
