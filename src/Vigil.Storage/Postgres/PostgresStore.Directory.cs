using Vigil.Core.People;
using Vigil.Core.Systems;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    public async Task<IReadOnlyList<Person>> ListPeopleAsync(CancellationToken ct)
    {
        var people = new List<Person>();
        await foreach (var person in StreamPeopleAsync(ct))
        {
            people.Add(person);
        }

        return people;
    }

    /// <summary>People by email, read one row at a time: memory stays flat however large the directory is.</summary>
    public async IAsyncEnumerable<Person> StreamPeopleAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command(
            "SELECT email, name, status, org_role, offboarded_on, aliases, manager_email FROM people WHERE organisation_id = @org ORDER BY email_key COLLATE \"C\";");
        await using var reader = await list.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new Person(
                Email: reader.GetString(0),
                Name: reader.GetString(1),
                Status: Db.ParsePersonStatus(reader.GetString(2)),
                OrgRole: reader.NullableString(3),
                OffboardedOn: reader.IsDBNull(4) ? null : Db.ParseDate(reader.GetString(4)),
                Aliases: Db.FromJson<IReadOnlyList<string>>(reader.GetString(5)),
                ManagerEmail: reader.NullableString(6));
        }
    }

    /// <summary>
    /// Inserts or updates by email (case-insensitive) in one transaction, in batches of statements. People missing from
    /// the list stay: offboarding is a status, not a deletion.
    /// </summary>
    public async Task UpsertPeopleAsync(IReadOnlyList<Person> people, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(people);
        await using var tenant = await BeginAsync(ct);
        var updatedAt = Db.Time(_time.GetUtcNow());
        const string Upsert = """
            INSERT INTO people (organisation_id, email_key, email, name, status, org_role, offboarded_on, aliases, manager_email, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (organisation_id, email_key) DO UPDATE SET
                email = excluded.email, name = excluded.name, status = excluded.status, org_role = excluded.org_role,
                offboarded_on = excluded.offboarded_on, aliases = excluded.aliases, manager_email = excluded.manager_email,
                updated_at = excluded.updated_at
            """;
        foreach (var chunk in people.Chunk(1000))
        {
            await using var batch = new Npgsql.NpgsqlBatch(tenant.Connection, tenant.Transaction);
            foreach (var person in chunk)
            {
                var command = new Npgsql.NpgsqlBatchCommand(Upsert);
                command.Parameters.Add(new() { Value = tenant.OrganisationId });
                command.Parameters.Add(new() { Value = EmailKey(person.Email) });
                command.Parameters.Add(new() { Value = person.Email.Trim() });
                command.Parameters.Add(new() { Value = person.Name });
                command.Parameters.Add(new() { Value = Db.Text(person.Status) });
                command.Parameters.Add(TextValue(person.OrgRole));
                command.Parameters.Add(TextValue(person.OffboardedOn is { } day ? Db.Date(day) : null));
                command.Parameters.Add(new() { Value = Db.Json(person.Aliases) });
                command.Parameters.Add(TextValue(person.ManagerEmail));
                command.Parameters.Add(new() { Value = updatedAt });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(ct);
        }

        await tenant.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<IdentityMapping>> ListMappingsAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command(
            "SELECT member_email, person_email, service_account_justification, created_at FROM identity_mappings WHERE organisation_id = @org ORDER BY member_email_key COLLATE \"C\";");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var mappings = new List<IdentityMapping>();
        while (await reader.ReadAsync(ct))
        {
            mappings.Add(new IdentityMapping(reader.GetString(0), reader.NullableString(1), reader.NullableString(2), Db.ParseTime(reader.GetString(3))));
        }

        return mappings;
    }

    /// <summary>Adds or replaces the mapping for this member email (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Not exactly one of person and service-account justification is set.</exception>
    public async Task SaveMappingAsync(IdentityMapping mapping, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if ((mapping.PersonEmail is null) == (mapping.ServiceAccountJustification is null))
        {
            throw new ArgumentException("A mapping names either a person or a service-account justification, not both or neither.", nameof(mapping));
        }

        await using var tenant = await BeginAsync(ct);
        await using var save = tenant.Command("""
            INSERT INTO identity_mappings (organisation_id, member_email_key, member_email, person_email, service_account_justification, created_at)
            VALUES (@org, @key, @member_email, @person_email, @justification, @created_at)
            ON CONFLICT (organisation_id, member_email_key) DO UPDATE SET
                member_email = excluded.member_email, person_email = excluded.person_email,
                service_account_justification = excluded.service_account_justification, created_at = excluded.created_at;
            """);
        save.Parameters.AddWithValue("key", EmailKey(mapping.MemberEmail));
        save.Parameters.AddWithValue("member_email", mapping.MemberEmail.Trim());
        save.Parameters.Add(Text("person_email", mapping.PersonEmail));
        save.Parameters.Add(Text("justification", mapping.ServiceAccountJustification));
        save.Parameters.AddWithValue("created_at", Db.Time(mapping.CreatedAt));
        await save.ExecuteNonQueryAsync(ct);
        await tenant.CommitAsync(ct);
    }

    public async Task<bool> RemoveMappingAsync(string memberEmail, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        await using var remove = tenant.Command("DELETE FROM identity_mappings WHERE organisation_id = @org AND member_email_key = @key;");
        remove.Parameters.AddWithValue("key", EmailKey(memberEmail));
        var removed = await remove.ExecuteNonQueryAsync(ct) > 0;
        await tenant.CommitAsync(ct);
        return removed;
    }

    /// <summary>Finds a critical system by name, case-insensitively.</summary>
    public async Task<CriticalSystem?> FindSystemAsync(string name, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var find = tenant.Command("SELECT name, allowed_roles, registered_at, owner FROM critical_systems WHERE organisation_id = @org AND name_key = @key;");
        find.Parameters.AddWithValue("key", NameKey(name));
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new CriticalSystem(reader.GetString(0), Db.FromJson<IReadOnlyList<AllowedOrgRole>>(reader.GetString(1)), Db.ParseTime(reader.GetString(2)), reader.NullableString(3))
            : null;
    }

    public async Task SaveSystemAsync(CriticalSystem system, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(system);
        await using var tenant = await BeginAsync(ct);
        await using var save = tenant.Command("""
            INSERT INTO critical_systems (organisation_id, name_key, name, allowed_roles, registered_at, owner)
            VALUES (@org, @key, @name, @allowed_roles, @registered_at, @owner)
            ON CONFLICT (organisation_id, name_key) DO UPDATE SET
                name = excluded.name, allowed_roles = excluded.allowed_roles, registered_at = excluded.registered_at, owner = excluded.owner;
            """);
        save.Parameters.AddWithValue("owner", (object?)system.Owner ?? DBNull.Value);
        save.Parameters.AddWithValue("key", NameKey(system.Name));
        save.Parameters.AddWithValue("name", system.Name.Trim());
        save.Parameters.AddWithValue("allowed_roles", Db.Json(system.AllowedRoles));
        save.Parameters.AddWithValue("registered_at", Db.Time(system.RegisteredAt));
        await save.ExecuteNonQueryAsync(ct);
        await tenant.CommitAsync(ct);
    }

    private static string EmailKey(string email) => email.Trim().ToLowerInvariant();

    private static Npgsql.NpgsqlParameter TextValue(string? value) =>
        new() { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
