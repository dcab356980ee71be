using System.Text;
using System.Text.Json;
using Spectre.Console;
using Vigil.Core.People;

namespace Vigil.Cli.Output;

/// <summary>
/// <c>vigil staff list</c> output, written while the store streams rows: memory stays flat for any directory size.
/// table: pages of <see cref="TablePage"/> rows; json: one array, written incrementally; csv: the import format, so the
/// output imports back unchanged.
/// </summary>
internal static class PeoplePrinter
{
    /// <summary>Rows per table: small enough to lay out quickly, large enough that most directories fit in one.</summary>
    internal const int TablePage = 1000;

    /// <summary>The header <c>vigil staff import</c> reads (see <see cref="StaffCsvParser"/>).</summary>
    internal const string CsvHeader = "email,name,status,org_role,offboarded_on,aliases,manager";

    public static async Task<int> TableAsync(IAsyncEnumerable<Person> people, CancellationToken ct)
    {
        var count = 0;
        var page = NewTable();
        await foreach (var p in people.WithCancellation(ct))
        {
            page.AddRow(p.Email, p.Name, Render.Lower(p.Status), p.OrgRole ?? "", Date(p), string.Join("; ", p.Aliases));
            if (++count % TablePage == 0)
            {
                Render.Write(page);
                page = NewTable();
            }
        }

        if (count == 0 || count % TablePage != 0)
        {
            Render.Write(page);
        }

        Console.WriteLine($"{count} people");
        return count;
    }

    public static async Task<int> JsonAsync(IAsyncEnumerable<Person> people, Stream output, CancellationToken ct)
    {
        // The default encoder escapes control characters and non-ASCII, so the output is valid JSON and terminal-safe.
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        var count = 0;
        json.WriteStartArray();
        await foreach (var p in people.WithCancellation(ct))
        {
            json.WriteStartObject();
            json.WriteString("email", p.Email);
            json.WriteString("name", p.Name);
            json.WriteString("status", Render.Lower(p.Status));
            WriteStringOrNull(json, "org_role", p.OrgRole);
            WriteStringOrNull(json, "offboarded_on", p.OffboardedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartArray("aliases");
            foreach (var alias in p.Aliases)
            {
                json.WriteStringValue(alias);
            }
            json.WriteEndArray();
            WriteStringOrNull(json, "manager", p.ManagerEmail);
            json.WriteEndObject();
            if (++count % 500 == 0)
            {
                await json.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(ct);
        await output.WriteAsync("\n"u8.ToArray(), ct);
        await output.FlushAsync(ct);
        return count;
    }

    public static async Task<int> CsvAsync(IAsyncEnumerable<Person> people, TextWriter output, CancellationToken ct)
    {
        var count = 0;
        var line = new StringBuilder();
        await output.WriteLineAsync(CsvHeader);
        await foreach (var p in people.WithCancellation(ct))
        {
            line.Clear();
            AppendCsv(line, p.Email).Append(',');
            AppendCsv(line, p.Name).Append(',');
            AppendCsv(line, Render.Lower(p.Status)).Append(',');
            AppendCsv(line, p.OrgRole ?? "").Append(',');
            AppendCsv(line, Date(p)).Append(',');
            AppendCsv(line, string.Join(';', p.Aliases)).Append(',');
            AppendCsv(line, p.ManagerEmail ?? "");
            await output.WriteLineAsync(line, ct);
            count++;
        }

        await output.FlushAsync(ct);
        return count;
    }

    /// <summary>RFC 4180 quoting where needed; also for surrounding spaces, which the importer would otherwise trim.</summary>
    internal static StringBuilder AppendCsv(StringBuilder line, string value)
    {
        var quote = value.Length > 0 && (value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]));
        return quote ? line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"') : line.Append(value);
    }

    private static Table NewTable() => Render.Table("email", "name", "status", "org role", "offboarded on", "aliases");

    private static string Date(Person p) => p.OffboardedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
