using System.Data.Common;
using System.Globalization;
using Vigil.Core.Storage;

namespace Vigil.Storage;

/// <summary>The one statement both engines run for <see cref="IReviewStore.ReadReviewVersionAsync"/> (each part index-only).</summary>
internal static class ReviewVersionSql
{
    public const string Sql = """
        SELECT
            (SELECT COUNT(*) FROM review_campaigns WHERE organisation_id = @org),
            (SELECT COUNT(*) FROM review_campaigns WHERE organisation_id = @org AND status <> 'open'),
            (SELECT COALESCE(MAX(seq), 0) FROM review_decisions WHERE organisation_id = @org),
            (SELECT COALESCE(MAX(seq), 0) FROM review_reassignments WHERE organisation_id = @org),
            (SELECT COALESCE(MAX(seq), 0) FROM review_verifications WHERE organisation_id = @org);
        """;

    public static ReviewVersion Read(DbDataReader reader) => new(
        Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture),
        Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture));
}
