using System.Data.Common;

namespace Vigil.Storage;

/// <summary>The one statement both engines run for <see cref="IVigilStore.ReadDataVersionAsync"/> (each index-only).</summary>
internal static class DataVersionSql
{
    public const string Sql = """
        SELECT
            (SELECT COALESCE(MAX(id), 0) FROM stage_commits WHERE organisation_id = @org),
            (SELECT COALESCE(MAX(id), 0) FROM connection_removals WHERE organisation_id = @org),
            (SELECT COUNT(*) FROM connections WHERE organisation_id = @org),
            (SELECT COALESCE(MAX(id), 0) FROM evaluations WHERE organisation_id = @org),
            (SELECT snapshot_id FROM evaluations WHERE organisation_id = @org ORDER BY id DESC LIMIT 1);
        """;

    public static DataVersion Read(DbDataReader reader) => new(
        Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
        reader.IsDBNull(4) ? null : reader.GetString(4));
}
