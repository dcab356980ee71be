using Microsoft.Data.Sqlite;
using Vigil.Core.Organisations;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private const string OrganisationColumns = "id, name, created_at";

    public async Task<IReadOnlyList<Organisation>> ListOrganisationsAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = db.Command($"SELECT {OrganisationColumns} FROM organisations ORDER BY id <> 'default', name_key;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var organisations = new List<Organisation>();
        while (await reader.ReadAsync(ct))
        {
            organisations.Add(ReadOrganisation(reader));
        }

        return organisations;
    }

    public async Task<Organisation?> FindOrganisationAsync(string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        await using var db = await _database.OpenConnectionAsync(ct);
        return await FindOrganisationAsync(db, null, name, ct);
    }

    public async Task<Organisation> AddOrganisationAsync(string name, DateTimeOffset createdAt, CancellationToken ct)
    {
        if (Organisation.ValidateName(name) is { } problem)
        {
            throw new ArgumentException(problem, nameof(name));
        }

        RequireWritable();
        var organisation = new Organisation(Guid.CreateVersion7(createdAt).ToString(), name, createdAt);
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var insert = db.Command("INSERT INTO organisations (id, name, name_key, created_at) VALUES ($id, $name, $key, $created_at);");
        insert.Parameters.AddWithValue("$id", organisation.Id);
        insert.Parameters.AddWithValue("$name", name);
        insert.Parameters.AddWithValue("$key", OrganisationKey(name));
        insert.Parameters.AddWithValue("$created_at", Db.Time(createdAt));
        try
        {
            await insert.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: name_key is unique
        {
            throw new InvalidOperationException($"an organisation named '{name}' already exists (names are compared without regard to case)", e);
        }

        return organisation;
    }

    public async Task<OrganisationRemoval> RemoveOrganisationAsync(string name, bool force, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var transaction = db.BeginTransaction();
        var organisation = await FindOrganisationAsync(db, transaction, name, ct);
        if (organisation is null)
        {
            return OrganisationRemoval.NotFound;
        }

        if (organisation.IsDefault)
        {
            return OrganisationRemoval.IsDefault;
        }

        if (!force && await CountConnectionsAsync(db, transaction, organisation.Id, ct) > 0)
        {
            return OrganisationRemoval.HasConnections;
        }

        // Everything it owns goes in this one transaction: rows hanging off its stage commits first, then every table with
        // an organisation_id (found from the schema, so a table added later is never forgotten), then evidence bodies no
        // other organisation's payload uses. Foreign keys are checked at commit, so the order within is free.
        await using (var defer = db.Command("PRAGMA defer_foreign_keys = ON;", transaction))
        {
            await defer.ExecuteNonQueryAsync(ct);
        }

        // Review history is append-only (triggers refuse deletes) except for the organisation named here, for this transaction.
        await using (var removing = db.Command("INSERT INTO removing_organisation (id) VALUES ($org);", transaction))
        {
            removing.Parameters.AddWithValue("$org", organisation.Id);
            await removing.ExecuteNonQueryAsync(ct);
        }

        var tables = await TenantTablesAsync(db, transaction, ct);
        foreach (var child in tables.CommitChildren)
        {
            await using var delete = db.Command(
                $"DELETE FROM {child} WHERE commit_id IN (SELECT id FROM stage_commits WHERE organisation_id = $org);", transaction);
            delete.Parameters.AddWithValue("$org", organisation.Id);
            await delete.ExecuteNonQueryAsync(ct);
        }

        foreach (var table in tables.Owned)
        {
            await using var delete = db.Command($"DELETE FROM {table} WHERE organisation_id = $org;", transaction);
            delete.Parameters.AddWithValue("$org", organisation.Id);
            await delete.ExecuteNonQueryAsync(ct);
        }

        await DeleteUnusedEvidenceBodiesAsync(db, transaction, ct);
        await using (var removed = db.Command("DELETE FROM removing_organisation WHERE id = $org;", transaction))
        {
            removed.Parameters.AddWithValue("$org", organisation.Id);
            await removed.ExecuteNonQueryAsync(ct);
        }

        await using (var delete = db.Command("DELETE FROM organisations WHERE id = $id;", transaction))
        {
            delete.Parameters.AddWithValue("$id", organisation.Id);
            await delete.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return OrganisationRemoval.Removed;
    }

    public async Task<int> CountConnectionsAsync(string organisationId, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        return await CountConnectionsAsync(db, null, organisationId, ct);
    }

    private static async Task<int> CountConnectionsAsync(SqliteConnection db, SqliteTransaction? transaction, string organisationId, CancellationToken ct)
    {
        await using var count = db.Command("SELECT COUNT(*) FROM connections WHERE organisation_id = $org;", transaction);
        count.Parameters.AddWithValue("$org", organisationId);
        return (int)(long)(await count.ExecuteScalarAsync(ct))!;
    }

    private static async Task<Organisation?> FindOrganisationAsync(SqliteConnection db, SqliteTransaction? transaction, string name, CancellationToken ct)
    {
        await using var find = db.Command($"SELECT {OrganisationColumns} FROM organisations WHERE name_key = $key;", transaction);
        find.Parameters.AddWithValue("$key", OrganisationKey(name));
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadOrganisation(reader) : null;
    }

    /// <summary>The tables that belong to organisations, read from the schema: those with an organisation_id, and those keyed by a stage commit.</summary>
    private static async Task<(IReadOnlyList<string> Owned, IReadOnlyList<string> CommitChildren)> TenantTablesAsync(
        SqliteConnection db, SqliteTransaction transaction, CancellationToken ct)
    {
        await using var columns = db.Command("""
            SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND p.name IN ('organisation_id', 'commit_id')
            ORDER BY m.name;
            """, transaction);
        await using var reader = await columns.ExecuteReaderAsync(ct);
        var owned = new List<string>();
        var children = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (table == "organisations")
            {
                continue;
            }

            (reader.GetString(1) == "commit_id" ? children : owned).Add(table);
        }

        return (owned, children.Except(owned, StringComparer.Ordinal).ToList());
    }

    private static async Task<int> DeleteUnusedEvidenceBodiesAsync(SqliteConnection db, SqliteTransaction transaction, CancellationToken ct)
    {
        await using var delete = db.Command(
            "DELETE FROM evidence_bodies WHERE NOT EXISTS (SELECT 1 FROM evidence_payloads p WHERE p.body_sha256 = evidence_bodies.sha256);", transaction);
        return await delete.ExecuteNonQueryAsync(ct);
    }

    private static string OrganisationKey(string name) => name.Trim().ToLowerInvariant();

    private static Organisation ReadOrganisation(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), Db.ParseTime(reader.GetString(2)));
}
