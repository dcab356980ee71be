using System.Text;

namespace Vigil.Core.People;

/// <summary>One CSV record: the line it starts on, its fields, and a syntax error that made the rest unreadable.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error);

/// <summary>
/// An RFC 4180 reader: fields separated by commas, records by CRLF or LF; quoted fields may hold commas,
/// line breaks and doubled quotes. A leading byte order mark is ignored. Unquoted fields are trimmed.
/// </summary>
internal static class CsvReader
{
    private const int End = -1;

    /// <summary>Reads records as they come: one record and one field in memory at a time, whatever the file's size.</summary>
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (reader.Peek() == '\uFEFF')
        {
            reader.Read();
        }

        var line = 1;
        var field = new StringBuilder();
        while (reader.Peek() != End)
        {
            var record = ReadRecord(reader, field, ref line);
            if (record.Error is not null || !IsBlank(record.Fields))
            {
                yield return record;
            }
        }
    }

    private static bool IsBlank(IReadOnlyList<string> fields) => fields.Count == 1 && fields[0].Length == 0;

    private static CsvRecord ReadRecord(TextReader reader, StringBuilder field, ref int line)
    {
        var startLine = line;
        var fields = new List<string>();
        field.Clear();

        while (true)
        {
            if (reader.Peek() == '"')
            {
                var quoteLine = line;
                reader.Read();
                while (true)
                {
                    var c = reader.Read();
                    if (c == End)
                    {
                        return new CsvRecord(startLine, fields, $"quoted field opened on line {quoteLine} is never closed");
                    }

                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            field.Append('"');
                            reader.Read();
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append((char)c);
                }

                // Only a separator, a line break or the end may follow a closing quote.
                var next = reader.Peek();
                if (next is not (End or ',' or '\r' or '\n'))
                {
                    var error = $"unexpected '{(char)next}' after a closing quote in field {fields.Count + 1}";
                    SkipToNextLine(reader, ref line);
                    return new CsvRecord(startLine, fields, error);
                }

                fields.Add(field.ToString());
            }
            else
            {
                while (reader.Peek() is not (End or ',' or '\r' or '\n'))
                {
                    field.Append((char)reader.Read());
                }

                fields.Add(field.ToString().Trim());
            }

            field.Clear();
            var separator = reader.Read();
            if (separator == End)
            {
                return new CsvRecord(startLine, fields, null);
            }

            if (separator == ',')
            {
                continue;
            }

            if (separator == '\r' && reader.Peek() == '\n')
            {
                reader.Read();
            }

            line++;
            return new CsvRecord(startLine, fields, null);
        }
    }

    private static void SkipToNextLine(TextReader reader, ref int line)
    {
        int c;
        while ((c = reader.Read()) != End)
        {
            if (c == '\n')
            {
                line++;
                return;
            }
        }
    }
}
