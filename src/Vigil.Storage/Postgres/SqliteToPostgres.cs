using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Vigil.Storage.Sqlite;

namespace Vigil.Storage.Postgres;

/// <summary>What <see cref="SqliteToPostgres.CopyAsync"/> copied and verified.</summary>
/// <param name="Rows">Rows copied per table (every organisation together), in copy order.</param>
/// <param name="EvidenceBodies">Evidence bodies whose SHA-256 was recomputed in PostgreSQL and matched.</param>
public sealed record MigrationReport(string Target, IReadOnlyList<string> Organisations, IReadOnlyList<(string Table, long Rows)> Rows, long EvidenceBodies);

/// <summary>
/// <c>vigil db migrate-to</c>: copies a SQLite home (every organisation, connection with its sealed credential, run,
/// snapshot row, evidence body, evaluation, mapping, setting) into an empty PostgreSQL database in ONE transaction, then,
/// still inside it, compares every table's row count with the source and recomputes every evidence body's SHA-256;
/// any difference rolls the whole copy back. Credentials are copied sealed: the same master key opens them.
/// </summary>
public static class SqliteToPostgres
{
    // Tables that are bookkeeping of one engine, never copied.
    private static readonly HashSet<string> EngineTables = new(StringComparer.Ordinal) { "schema_migrations", "sqlite_sequence" };

    /// <exception cref="InvalidOperationException">The target is not empty, a table or column has no counterpart, or verification failed.</exception>
    public static async Task<MigrationReport> CopyAsync(string sqlitePath, string databaseUrl, TimeProvider time, IProgress<string>? progress, CancellationToken ct)
    {
        var source = await SqliteDatabase.OpenAsync(sqlitePath, time, ct);
        try
        {
            await using var pg = await PostgresDatabase.OpenAsync(databaseUrl, time, ct);
            try
            {
                return await CopyAsync(source, pg, progress, ct);
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException(pg.Redact($"copying into {pg.Location} failed, nothing was kept there: {e.Message}"));
            }
        }
        finally
        {
            source.ReleaseFile();
        }
    }

    private static async Task<MigrationReport> CopyAsync(SqliteDatabase sqlite, PostgresDatabase pg, IProgress<string>? progress, CancellationToken ct)
    {
        await using var from = await sqlite.OpenConnectionAsync(ct);
        // One read transaction: the copy is of one consistent moment even if a sync writes meanwhile.
        await using var read = from.BeginTransaction(deferred: true);
        await using var to = await pg.OpenConnectionAsync(ct);
        await using var write = await to.BeginTransactionAsync(ct);

        var targetTables = await TargetTablesAsync(to, write, ct);
        var sourceTables = await SourceTablesAsync(from, read, ct);
        // A table only SQLite has (a feature PostgreSQL does not store yet) may be left behind only while it is empty.
        var missing = new List<string>();
        foreach (var table in sourceTables.Keys.Where(t => !EngineTables.Contains(t) && !targetTables.ContainsKey(t)))
        {
            await using var any = from.Command($"SELECT EXISTS (SELECT 1 FROM \"{table}\");", read);
            if ((long)(await any.ExecuteScalarAsync(ct))! != 0)
            {
                missing.Add(table);
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"the PostgreSQL schema has no table for {string.Join(", ", missing)}, which hold data in this home; nothing was copied");
        }

        var organisations = await ReadOrganisationsAsync(from, read, ct);
        await RequireEmptyAsync(to, write, targetTables.Keys, ct);

        var copied = new Dictionary<string, long>(StringComparer.Ordinal);
        var order = CopyOrder(targetTables, await ReadForeignKeysAsync(to, write, ct));
        foreach (var (id, name, nameKey, createdAt) in organisations)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report($"copying organisation {name}");
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO organisations (id, name, name_key, created_at) VALUES (@id, @name, @key, @at) ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, created_at = excluded.created_at;",
                to, write))
            {
                insert.Parameters.AddWithValue("id", id);
                insert.Parameters.AddWithValue("name", name);
                insert.Parameters.AddWithValue("key", nameKey);
                insert.Parameters.AddWithValue("at", createdAt);
                await insert.ExecuteNonQueryAsync(ct);
            }

            await SetOrganisationAsync(to, write, id, ct);
            foreach (var table in order.Where(t => t != "organisations"))
            {
                if (!sourceTables.TryGetValue(table, out var sourceColumns))
                {
                    continue; // a table only PostgreSQL has: nothing to copy
                }

                var rows = await CopyTableAsync(from, read, to, table, sourceColumns, targetTables[table], id, ct);
                copied[table] = copied.GetValueOrDefault(table) + rows;
            }
        }

        await AdvanceIdentitiesAsync(from, read, to, write, targetTables, ct);
        progress?.Report("verifying row counts and evidence hashes");
        var bodies = await VerifyAsync(from, read, to, write, organisations.Select(o => o.Id).ToList(), order, sourceTables, targetTables, copied, ct);
        await write.CommitAsync(ct);

        return new MigrationReport(pg.Location, organisations.Select(o => o.Name).ToList(),
            order.Where(copied.ContainsKey).Select(t => (t, copied[t])).ToList(), bodies);
    }

    private static async Task<List<(string Id, string Name, string NameKey, string CreatedAt)>> ReadOrganisationsAsync(
        SqliteConnection from, SqliteTransaction read, CancellationToken ct)
    {
        await using var select = from.Command("SELECT id, name, name_key, created_at FROM organisations ORDER BY id <> 'default', name_key;", read);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var organisations = new List<(string, string, string, string)>();
        while (await reader.ReadAsync(ct))
        {
            organisations.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return organisations;
    }

    // Row-level security hides other organisations' rows even from the owner (FORCE), so emptiness is checked per
    // organisation the target knows, plus the organisations table itself.
    private static async Task RequireEmptyAsync(NpgsqlConnection to, NpgsqlTransaction write, IEnumerable<string> tables, CancellationToken ct)
    {
        var organisations = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT id FROM organisations;", to, write))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                organisations.Add(reader.GetString(0));
            }
        }

        if (organisations.Any(o => o != "default"))
        {
            throw new InvalidOperationException("the target database is not empty (it already holds Vigil organisations); migrate-to copies only into an empty Vigil database, so nothing was copied");
        }

        foreach (var organisation in organisations)
        {
            await SetOrganisationAsync(to, write, organisation, ct);
            foreach (var table in tables.Where(t => t != "organisations"))
            {
                await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM \"{table}\");", to, write);
                if ((bool)(await any.ExecuteScalarAsync(ct))!)
                {
                    throw new InvalidOperationException($"the target database is not empty (table {table} has rows); migrate-to copies only into an empty Vigil database, so nothing was copied");
                }
            }
        }
    }

    private static async Task<long> CopyTableAsync(SqliteConnection from, SqliteTransaction read, NpgsqlConnection to, string table,
        IReadOnlyList<string> sourceColumns, IReadOnlyList<TargetColumn> targetColumns, string organisationId, CancellationToken ct)
    {
        var unknown = sourceColumns.Where(c => targetColumns.All(t => t.Name != c)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"the PostgreSQL table {table} has no column {string.Join(", ", unknown)}; upgrade Vigil so both engines are at the same version");
        }

        var columns = targetColumns.Where(t => sourceColumns.Contains(t.Name) || t.Name == "organisation_id").ToList();
        await using var select = from.Command(SourceQuery(table, sourceColumns, columns.Select(c => c.Name).ToList()), read);
        select.Parameters.AddWithValue("$org", organisationId);
        await using var reader = await select.ExecuteReaderAsync(ct);

        // PostgreSQL refuses COPY into a table under row-level security (unless the user bypasses it), so rows are copied
        // in binary into a temporary table shaped like it, then moved with one INSERT that the policy checks.
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        var staging = $"copy_{table}";
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE IF NOT EXISTS \"{staging}\" (LIKE \"{table}\") ON COMMIT DROP; TRUNCATE \"{staging}\";", to))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        long rows = 0;
        await using (var import = await to.BeginBinaryImportAsync($"COPY \"{staging}\" ({names}) FROM STDIN (FORMAT BINARY)", ct))
        {
            while (await reader.ReadAsync(ct))
            {
                await import.StartRowAsync(ct);
                for (var i = 0; i < columns.Count; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        await import.WriteNullAsync(ct);
                    }
                    else
                    {
                        await WriteAsync(import, columns[i], reader.GetValue(i), table, ct);
                    }
                }

                rows++;
            }

            await import.CompleteAsync(ct);
        }

        await using (var move = new NpgsqlCommand($"INSERT INTO \"{table}\" ({names}) SELECT {names} FROM \"{staging}\";", to))
        {
            await move.ExecuteNonQueryAsync(ct);
        }

        return rows;
    }

    // The rows of one organisation in a source table, with the target's columns in the target's order. A table without
    // organisation_id in SQLite belongs to it through its stage commit, its connection or (evidence bodies) the payloads using it.
    private static string SourceQuery(string table, IReadOnlyList<string> sourceColumns, IReadOnlyList<string> targetColumns)
    {
        var select = string.Join(", ", targetColumns.Select(c => sourceColumns.Contains(c) ? $"t.\"{c}\"" : "$org"));
        if (sourceColumns.Contains("organisation_id"))
        {
            return $"SELECT {select} FROM \"{table}\" t WHERE t.organisation_id = $org;";
        }

        if (sourceColumns.Contains("commit_id"))
        {
            return $"SELECT {select} FROM \"{table}\" t JOIN stage_commits c ON c.id = t.commit_id WHERE c.organisation_id = $org;";
        }

        return table switch
        {
            "connection_secrets" => $"SELECT {select} FROM connection_secrets t JOIN connections k ON k.id = t.connection_id WHERE k.organisation_id = $org;",
            "evidence_bodies" => $"""
                SELECT {select} FROM evidence_bodies t WHERE t.sha256 IN (
                    SELECT p.body_sha256 FROM evidence_payloads p JOIN stage_commits c ON c.id = p.commit_id WHERE c.organisation_id = $org);
                """,
            _ => throw new InvalidOperationException($"cannot tell which organisation the rows of table {table} belong to; nothing was copied"),
        };
    }

    private static Task WriteAsync(NpgsqlBinaryImporter import, TargetColumn column, object value, string table, CancellationToken ct) => column.Type switch
    {
        "text" or "character varying" => import.WriteAsync(value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, ct),
        "bigint" => import.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, ct),
        "integer" => import.WriteAsync(Convert.ToInt32(value, CultureInfo.InvariantCulture), NpgsqlDbType.Integer, ct),
        "smallint" => import.WriteAsync(Convert.ToInt16(value, CultureInfo.InvariantCulture), NpgsqlDbType.Smallint, ct),
        "boolean" => import.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0, NpgsqlDbType.Boolean, ct),
        "bytea" => import.WriteAsync((byte[])value, NpgsqlDbType.Bytea, ct),
        "double precision" => import.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double, ct),
        "jsonb" => import.WriteAsync((string)value, NpgsqlDbType.Jsonb, ct),
        _ => throw new InvalidOperationException($"column {table}.{column.Name} has type {column.Type}, which migrate-to does not know how to copy"),
    };

    // Identity columns continue after the highest copied value (taken from the source: under row-level security the
    // target would show one organisation's maximum only).
    private static async Task AdvanceIdentitiesAsync(SqliteConnection from, SqliteTransaction read, NpgsqlConnection to, NpgsqlTransaction write,
        IReadOnlyDictionary<string, IReadOnlyList<TargetColumn>> targetTables, CancellationToken ct)
    {
        foreach (var (table, columns) in targetTables)
        {
            foreach (var column in columns.Where(c => c.IsIdentity))
            {
                long max;
                try
                {
                    await using var maxCommand = from.Command($"SELECT COALESCE(MAX(\"{column.Name}\"), 0) FROM \"{table}\";", read);
                    max = (long)(await maxCommand.ExecuteScalarAsync(ct))!;
                }
                catch (SqliteException)
                {
                    continue; // no such table or column in the source
                }

                if (max > 0)
                {
                    await using var advance = new NpgsqlCommand($"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column.Name}'), @max);", to, write);
                    advance.Parameters.AddWithValue("max", max);
                    await advance.ExecuteNonQueryAsync(ct);
                }
            }
        }
    }

    private static async Task<long> VerifyAsync(SqliteConnection from, SqliteTransaction read, NpgsqlConnection to, NpgsqlTransaction write,
        IReadOnlyList<string> organisations, IReadOnlyList<string> order, IReadOnlyDictionary<string, IReadOnlyList<string>> sourceTables,
        IReadOnlyDictionary<string, IReadOnlyList<TargetColumn>> targetTables, IReadOnlyDictionary<string, long> copied, CancellationToken ct)
    {
        var problems = new List<string>();
        var found = new Dictionary<string, long>(StringComparer.Ordinal);
        long bodies = 0;
        foreach (var organisation in organisations)
        {
            await SetOrganisationAsync(to, write, organisation, ct);
            foreach (var table in order.Where(t => t != "organisations" && sourceTables.ContainsKey(t)))
            {
                // Filtered as well as isolated: a superuser bypasses row-level security and would see every organisation.
                await using var count = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table}\" WHERE organisation_id = @org;", to, write);
                count.Parameters.AddWithValue("org", organisation);
                found[table] = found.GetValueOrDefault(table) + (long)(await count.ExecuteScalarAsync(ct))!;
            }

            await using var evidence = new NpgsqlCommand("SELECT sha256, body FROM evidence_bodies WHERE organisation_id = @org;", to, write);
            evidence.Parameters.AddWithValue("org", organisation);
            await using var reader = await evidence.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var hash = reader.GetString(0);
                if (Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reader.GetString(1)))) != hash)
                {
                    problems.Add($"evidence body {hash} of organisation {organisation} does not match its hash");
                }

                bodies++;
            }
        }

        foreach (var table in order.Where(t => t != "organisations" && sourceTables.ContainsKey(t)))
        {
            var expected = await SourceCountAsync(from, read, table, sourceTables[table], targetTables[table], organisations, ct);
            var wrote = copied.GetValueOrDefault(table);
            if (found.GetValueOrDefault(table) != expected || wrote != expected)
            {
                problems.Add($"{table}: {expected} row(s) in SQLite, {wrote} copied, {found.GetValueOrDefault(table)} found in PostgreSQL");
            }
        }

        await using (var countOrganisations = new NpgsqlCommand("SELECT COUNT(*) FROM organisations;", to, write))
        {
            if ((long)(await countOrganisations.ExecuteScalarAsync(ct))! != organisations.Count)
            {
                problems.Add("organisations: the counts differ");
            }
        }

        return problems.Count == 0
            ? bodies
            : throw new InvalidOperationException("verification failed, so nothing was kept in PostgreSQL: " + string.Join("; ", problems));
    }

    private static async Task<long> SourceCountAsync(SqliteConnection from, SqliteTransaction read, string table, IReadOnlyList<string> sourceColumns,
        IReadOnlyList<TargetColumn> targetColumns, IReadOnlyList<string> organisations, CancellationToken ct)
    {
        long total = 0;
        var columns = targetColumns.Where(t => sourceColumns.Contains(t.Name) || t.Name == "organisation_id").Select(c => c.Name).ToList();
        foreach (var organisation in organisations)
        {
            await using var count = from.Command($"SELECT COUNT(*) FROM ({SourceQuery(table, sourceColumns, columns).TrimEnd(';', ' ', '\n', '\r')});", read);
            count.Parameters.AddWithValue("$org", organisation);
            total += (long)(await count.ExecuteScalarAsync(ct))!;
        }

        return total;
    }

    private static async Task SetOrganisationAsync(NpgsqlConnection to, NpgsqlTransaction write, string organisationId, CancellationToken ct)
    {
        await using var set = new NpgsqlCommand($"SELECT set_config('{PostgresDatabase.OrganisationSetting}', @org, true);", to, write);
        set.Parameters.AddWithValue("org", organisationId);
        await set.ExecuteNonQueryAsync(ct);
    }

    private sealed record TargetColumn(string Name, string Type, bool IsIdentity);

    private static async Task<Dictionary<string, IReadOnlyList<TargetColumn>>> TargetTablesAsync(NpgsqlConnection to, NpgsqlTransaction write, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand("""
            SELECT c.table_name, c.column_name, c.data_type, c.is_identity
            FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migrations'
            ORDER BY c.table_name, c.ordinal_position;
            """, to, write);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var tables = new Dictionary<string, List<TargetColumn>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = [];
            }

            columns.Add(new TargetColumn(reader.GetString(1), reader.GetString(2), reader.GetString(3) == "YES"));
        }

        return tables.ToDictionary(t => t.Key, t => (IReadOnlyList<TargetColumn>)t.Value, StringComparer.Ordinal);
    }

    // Parents before children, from the target's foreign keys.
    private static List<string> CopyOrder(IReadOnlyDictionary<string, IReadOnlyList<TargetColumn>> tables, IReadOnlyDictionary<string, HashSet<string>> parentsOf)
    {
        var order = new List<string>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string table)
        {
            if (order.Contains(table) || !visiting.Add(table))
            {
                return;
            }

            foreach (var parent in parentsOf.GetValueOrDefault(table, []).Where(tables.ContainsKey).Order(StringComparer.Ordinal))
            {
                Visit(parent);
            }

            order.Add(table);
        }

        foreach (var table in tables.Keys.Order(StringComparer.Ordinal))
        {
            Visit(table);
        }

        return order;
    }

    private static async Task<Dictionary<string, HashSet<string>>> ReadForeignKeysAsync(NpgsqlConnection to, NpgsqlTransaction write, CancellationToken ct)
    {
        await using var select = new NpgsqlCommand("""
            SELECT child.relname, parent.relname FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            WHERE k.contype = 'f' AND n.nspname = current_schema();
            """, to, write);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var child = reader.GetString(0);
            if (!edges.TryGetValue(child, out var parents))
            {
                edges[child] = parents = new HashSet<string>(StringComparer.Ordinal);
            }

            if (child != reader.GetString(1))
            {
                parents.Add(reader.GetString(1));
            }
        }

        return edges;
    }

    private static async Task<Dictionary<string, IReadOnlyList<string>>> SourceTablesAsync(SqliteConnection from, SqliteTransaction read, CancellationToken ct)
    {
        await using var select = from.Command("""
            SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
            ORDER BY m.name, p.cid;
            """, read);
        await using var reader = await select.ExecuteReaderAsync(ct);
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            var table = reader.GetString(0);
            if (!tables.TryGetValue(table, out var columns))
            {
                tables[table] = columns = [];
            }

            columns.Add(reader.GetString(1));
        }

        return tables.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value, StringComparer.Ordinal);
    }
}
