using System.Data.Common;
using Vigil.Core.Users;

namespace Vigil.Storage;

/// <summary>web_users rows, read and written the same way by both engines.</summary>
internal static class StoredUsers
{
    public const string Columns =
        "email, role, password_hash, security_stamp, created_at, failed_sign_ins, locked_until, api_key_id, api_key_hash, api_key_created_at";

    public static WebUser Read(DbDataReader r) => new(
        Email: r.GetString(0),
        Role: WebUser.ParseRole(r.GetString(1)) ?? throw new InvalidDataException($"stored user role '{r.GetString(1)}' is not known"),
        PasswordHash: r.GetString(2),
        SecurityStamp: r.GetString(3),
        CreatedAt: Db.ParseTime(r.GetString(4)),
        FailedSignIns: (int)r.GetInt64(5),
        LockedUntil: r.NullableTime(6),
        ApiKeyId: r.NullableString(7),
        ApiKeyHash: r.NullableString(8),
        ApiKeyCreatedAt: r.NullableTime(9));

    /// <summary>The values for <see cref="Columns"/> in order, as (name, value) for either engine's parameter prefix.</summary>
    public static IEnumerable<(string Name, object Value)> Values(WebUser user)
    {
        yield return ("email", WebUser.NormaliseEmail(user.Email));
        yield return ("role", WebUser.RoleName(user.Role));
        yield return ("password_hash", user.PasswordHash);
        yield return ("security_stamp", user.SecurityStamp);
        yield return ("created_at", Db.Time(user.CreatedAt));
        yield return ("failed_sign_ins", (long)user.FailedSignIns);
        yield return ("locked_until", Db.TimeOrNull(user.LockedUntil));
        yield return ("api_key_id", Db.OrNull(user.ApiKeyId));
        yield return ("api_key_hash", Db.OrNull(user.ApiKeyHash));
        yield return ("api_key_created_at", Db.TimeOrNull(user.ApiKeyCreatedAt));
    }

    public static string Insert(char prefix) =>
        $"INSERT INTO web_users (organisation_id, {Columns}) VALUES ({prefix}org, {string.Join(", ", Columns.Split(", ").Select(c => prefix + c))}) ON CONFLICT DO NOTHING;";

    public static string Update(char prefix) =>
        $"UPDATE web_users SET {string.Join(", ", Columns.Split(", ").Where(c => c is not "email" and not "created_at").Select(c => $"{c} = {prefix}{c}"))} " +
        $"WHERE organisation_id = {prefix}org AND email = {prefix}email;";
}
