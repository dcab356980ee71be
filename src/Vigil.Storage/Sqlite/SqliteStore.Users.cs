using Vigil.Core.Storage;
using Vigil.Core.Users;

namespace Vigil.Storage.Sqlite;

public sealed partial class SqliteStore : IUserStore
{
    public async Task<IReadOnlyList<WebUser>> ListUsersAsync(CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var list = Tenant(db, $"SELECT {StoredUsers.Columns} FROM web_users WHERE organisation_id = $org ORDER BY email;");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var users = new List<WebUser>();
        while (await reader.ReadAsync(ct))
        {
            users.Add(StoredUsers.Read(reader));
        }

        return users;
    }

    public Task<WebUser?> FindUserAsync(string email, CancellationToken ct) =>
        FindUserWhereAsync("email = $value", WebUser.NormaliseEmail(email), ct);

    public Task<WebUser?> FindUserByApiKeyAsync(string apiKeyId, CancellationToken ct) =>
        FindUserWhereAsync("api_key_id = $value", apiKeyId, ct);

    public async Task<bool> AddUserAsync(WebUser user, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var insert = Tenant(db, StoredUsers.Insert('$'));
        foreach (var (name, value) in StoredUsers.Values(user))
        {
            insert.Parameters.AddWithValue("$" + name, value);
        }

        return await insert.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> UpdateUserAsync(WebUser user, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var update = Tenant(db, StoredUsers.Update('$'));
        foreach (var (name, value) in StoredUsers.Values(user))
        {
            update.Parameters.AddWithValue("$" + name, value);
        }

        return await update.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> RemoveUserAsync(string email, CancellationToken ct)
    {
        RequireWritable();
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var delete = Tenant(db, "DELETE FROM web_users WHERE organisation_id = $org AND email = $email;");
        delete.Parameters.AddWithValue("$email", WebUser.NormaliseEmail(email));
        return await delete.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<WebUser?> FindUserWhereAsync(string condition, string value, CancellationToken ct)
    {
        await using var db = await _database.OpenConnectionAsync(ct);
        await using var find = Tenant(db, $"SELECT {StoredUsers.Columns} FROM web_users WHERE organisation_id = $org AND {condition};");
        find.Parameters.AddWithValue("$value", value);
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? StoredUsers.Read(reader) : null;
    }
}
