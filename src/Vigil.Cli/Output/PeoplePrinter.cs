using System.Text;
using System.Text.Json;
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

    private static readonly string[] Columns = ["email", "name", "status", "org role", "offboarded on", "aliases"];

    public static async Task<int> TableAsync(IAsyncEnumerable<Person> people, CancellationToken ct)
    {
        // On a terminal Spectre fits each page to the window; piped, the same table is laid out directly, which is
        // some 20 times faster for a large directory.
        var interactive = Render.IsInteractive;
        var count = 0;
        var page = new List<string[]>(TablePage);
        await foreach (var p in people.WithCancellation(ct))
        {
            page.Add([p.Email, p.Name, Render.Lower(p.Status), p.OrgRole ?? "", Date(p), string.Join("; ", p.Aliases)]);
            if (++count % TablePage == 0)
            {
                WritePage(page, interactive);
                page.Clear();
            }
        }

        if (count == 0 || page.Count > 0)
        {
            WritePage(page, interactive);
        }

        Console.WriteLine($"{count} people");
        return count;
    }

    private static void WritePage(List<string[]> rows, bool interactive)
    {
        if (interactive)
        {
            var table = Render.Table(Columns);
            foreach (var row in rows)
            {
                table.AddRow(row);
            }
            Render.Write(table);
            return;
        }

        var cells = rows.Select(row => row.Select(Render.Clean).ToArray()).ToList();
        var widths = Columns.Select((c, i) => Math.Max(Width(c), cells.Count == 0 ? 0 : cells.Max(r => Width(r[i])))).ToArray();
        var text = new StringBuilder();
        Border(text, widths, '╭', '┬', '╮');
        Row(text, Columns, widths);
        Border(text, widths, '├', '┼', '┤');
        foreach (var row in cells)
        {
            Row(text, row, widths);
        }
        Border(text, widths, '╰', '┴', '╯');
        Console.Out.Write(text.ToString());
    }

    private static void Border(StringBuilder text, int[] widths, char left, char middle, char right)
    {
        text.Append(left);
        for (var i = 0; i < widths.Length; i++)
        {
            text.Append('─', widths[i] + 2).Append(i == widths.Length - 1 ? right : middle);
        }
        text.Append('\n');
    }

    private static void Row(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        text.Append('│');
        for (var i = 0; i < widths.Length; i++)
        {
            text.Append(' ').Append(cells[i]).Append(' ', widths[i] - Width(cells[i]) + 1).Append('│');
        }
        text.Append('\n');
    }

    /// <summary>Terminal columns of <paramref name="text"/>: East Asian wide characters and emoji take two.</summary>
    internal static int Width(string text)
    {
        var width = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var v = rune.Value;
            width += v is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3) or (>= 0xF900 and <= 0xFAFF)
                or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6) or (>= 0x1F300 and <= 0x1FAFF)
                or (>= 0x20000 and <= 0x3FFFD)
                ? 2
                : System.Globalization.CharUnicodeInfo.GetUnicodeCategory(v) is System.Globalization.UnicodeCategory.NonSpacingMark
                    or System.Globalization.UnicodeCategory.EnclosingMark or System.Globalization.UnicodeCategory.Format ? 0 : 1;
        }
        return width;
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
