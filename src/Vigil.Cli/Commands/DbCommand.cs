using System.CommandLine;
using Vigil.Storage;
using Vigil.Storage.Postgres;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil db migrate-to URL</c>: copies this Vigil home's SQLite database (every organisation) into an empty
/// PostgreSQL database in one transaction and verifies it; afterwards set VIGIL_DATABASE to use it.
/// </summary>
internal static class DbCommand
{
    public static Command Build()
    {
        var url = new Argument<string>("URL")
        {
            Description = "The PostgreSQL database: postgres://USER@HOST:PORT/DB (or Host=...;Database=...); the password from VIGIL_DATABASE_PASSWORD or PGPASSWORD",
        };
        var migrate = new Command("migrate-to", "Copy this home's SQLite database into an empty PostgreSQL database, then verify row counts and evidence hashes") { url };
        migrate.SetAction((parse, ct) => MigrateAsync(parse.GetValue(url)!, ct));
        return new Command("db", "Move the Vigil database between engines") { migrate };
    }

    private static async Task<int> MigrateAsync(string url, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(VigilDatabase.EnvironmentVariable)))
        {
            throw new UsageException("VIGIL_DATABASE is set, so this Vigil already uses PostgreSQL; migrate-to copies the SQLite home (unset VIGIL_DATABASE to run it)");
        }

        if (VigilDatabase.CarriesPassword(url))
        {
            // Accepted, since scripts do it, but a password on a command line is visible to other users (ps, shell history).
            Console.Error.WriteLine("vigil: warning: the URL carries a password, which other users can see on a command line; prefer VIGIL_DATABASE_PASSWORD or PGPASSWORD");
        }

        var home = VigilHome.Resolve();
        var sqlite = VigilHome.DatabasePath(home);
        if (!File.Exists(sqlite))
        {
            throw new CliException($"there is no Vigil database in {home} to copy");
        }

        var report = await SqliteToPostgres.CopyAsync(sqlite, url, TimeProvider.System, new Progress<string>(line => Console.Error.WriteLine($"vigil: {line}")), ct);
        var table = Render.Table("table", "rows copied");
        foreach (var (name, rows) in report.Rows)
        {
            table.AddRow(name, rows.ToString());
        }

        Render.Write(table);
        Console.WriteLine($"copied {report.Organisations.Count} organisation(s) into {report.Target} in one transaction; every table's row count matched " +
            $"and {report.EvidenceBodies} evidence bodies matched their SHA-256.");
        Console.WriteLine("Next: set VIGIL_DATABASE to this database. Credentials stay sealed with this home's master key: on every machine that uses " +
            $"the database, set VIGIL_MASTER_KEY to the key in {Path.Combine(home, MasterKey.KeyFileName)} (base64), or copy that file into its VIGIL_HOME.");
        return ExitCodes.Ok;
    }
}
