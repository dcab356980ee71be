using Vigil.Core.Storage;
using Vigil.Core.Users;

namespace Vigil.Storage.Postgres;

public sealed partial class PostgresStore : IUserStore
{
    public async Task<IReadOnlyList<WebUser>> ListUsersAsync(CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var list = tenant.Command($"SELECT {StoredUsers.Columns} FROM web_users WHERE organisation_id = @org ORDER BY email COLLATE \"C\";");
        await using var reader = await list.ExecuteReaderAsync(ct);
        var users = new List<WebUser>();
        while (await reader.ReadAsync(ct))
        {
            users.Add(StoredUsers.Read(reader));
        }

        return users;
    }

    public Task<WebUser?> FindUserAsync(string email, CancellationToken ct) =>
        FindUserWhereAsync("email = @value", WebUser.NormaliseEmail(email), ct);

    public Task<WebUser?> FindUserByApiKeyAsync(string apiKeyId, CancellationToken ct) =>
        FindUserWhereAsync("api_key_id = @value", apiKeyId, ct);

    public async Task<bool> AddUserAsync(WebUser user, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        await using var insert = tenant.Command(StoredUsers.Insert('@'));
        foreach (var (name, value) in StoredUsers.Values(user))
        {
            insert.Parameters.AddWithValue(name, value);
        }

        var added = await insert.ExecuteNonQueryAsync(ct) == 1;
        await tenant.CommitAsync(ct);
        return added;
    }

    public async Task<bool> UpdateUserAsync(WebUser user, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        await using var update = tenant.Command(StoredUsers.Update('@'));
        foreach (var (name, value) in StoredUsers.Values(user))
        {
            update.Parameters.AddWithValue(name, value);
        }

        var updated = await update.ExecuteNonQueryAsync(ct) == 1;
        await tenant.CommitAsync(ct);
        return updated;
    }

    public async Task<bool> RemoveUserAsync(string email, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct);
        await using var delete = tenant.Command("DELETE FROM web_users WHERE organisation_id = @org AND email = @email;");
        delete.Parameters.AddWithValue("email", WebUser.NormaliseEmail(email));
        var removed = await delete.ExecuteNonQueryAsync(ct) == 1;
        await tenant.CommitAsync(ct);
        return removed;
    }

    private async Task<WebUser?> FindUserWhereAsync(string condition, string value, CancellationToken ct)
    {
        await using var tenant = await BeginAsync(ct, readOnly: true);
        await using var find = tenant.Command($"SELECT {StoredUsers.Columns} FROM web_users WHERE organisation_id = @org AND {condition};");
        find.Parameters.AddWithValue("value", value);
        await using var reader = await find.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? StoredUsers.Read(reader) : null;
    }
}
