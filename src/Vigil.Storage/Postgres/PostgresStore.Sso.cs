using Vigil.Core.Inventory;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore
{
    public async Task<IReadOnlyList<SsoDeclaration>> ListSsoDeclarationsAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command(
            "SELECT account_id, domains, evidence, declared_at FROM sso_declarations WHERE organisation_id = @org ORDER BY account_id COLLATE \"C\";");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var declarations = new List<SsoDeclaration>();
        while (await reader.ReadAsync(ct))
        {
            declarations.Add(new SsoDeclaration(reader.GetString(0), Db.FromJson<IReadOnlyList<string>>(reader.GetString(1)), reader.GetString(2),
                Db.ParseTime(reader.GetString(3))));
        }

        return declarations;
    }

    /// <summary>Adds or replaces the account's declaration in one statement: the old one stays until the new one is written.</summary>
    public async Task SaveSsoDeclarationAsync(SsoDeclaration declaration, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        await using var tenant = await BeginAsync(ct);
        await using var save = tenant.Command("""
            INSERT INTO sso_declarations (organisation_id, account_id, domains, evidence, declared_at) VALUES (@org, @account_id, @domains, @evidence, @declared_at)
            ON CONFLICT (organisation_id, account_id) DO UPDATE SET
                domains = excluded.domains, evidence = excluded.evidence, declared_at = excluded.declared_at;
            """);
        save.Parameters.AddWithValue("account_id", declaration.AccountId);
        save.Parameters.AddWithValue("domains", Db.Json(declaration.Domains));
        save.Parameters.AddWithValue("evidence", declaration.Evidence);
        save.Parameters.AddWithValue("declared_at", Db.Time(declaration.DeclaredAt));
        await save.ExecuteNonQueryAsync(ct);
        await tenant.CommitAsync(ct);
    }

    public async Task<bool> RemoveSsoDeclarationAsync(string accountId, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        await using var remove = tenant.Command("DELETE FROM sso_declarations WHERE organisation_id = @org AND account_id = @account_id;");
        remove.Parameters.AddWithValue("account_id", accountId);
        var removed = await remove.ExecuteNonQueryAsync(ct) > 0;
        await tenant.CommitAsync(ct);
        return removed;
    }
}
