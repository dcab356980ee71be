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
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var text = reader.ReadToEnd();
        var position = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var line = 1;

        while (position < text.Length)
        {
            var record = ReadRecord(text, ref position, ref line);
            if (record.Error is not null || !IsBlank(record.Fields))
            {
                yield return record;
            }
        }
    }

    private static bool IsBlank(IReadOnlyList<string> fields) => fields.Count == 1 && fields[0].Length == 0;

    private static CsvRecord ReadRecord(string text, ref int position, ref int line)
    {
        var startLine = line;
        var fields = new List<string>();
        var field = new StringBuilder();

        while (true)
        {
            if (position < text.Length && text[position] == '"')
            {
                var quoteLine = line;
                position++;
                while (true)
                {
                    if (position >= text.Length)
                    {
                        return new CsvRecord(startLine, fields, $"quoted field opened on line {quoteLine} is never closed");
                    }

                    var c = text[position++];
                    if (c == '"')
                    {
                        if (position < text.Length && text[position] == '"')
                        {
                            field.Append('"');
                            position++;
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                // Only a separator, a line break or the end may follow a closing quote.
                if (position < text.Length && text[position] is not (',' or '\r' or '\n'))
                {
                    var error = $"unexpected '{text[position]}' after a closing quote in field {fields.Count + 1}";
                    SkipToNextLine(text, ref position, ref line);
                    return new CsvRecord(startLine, fields, error);
                }

                fields.Add(field.ToString());
            }
            else
            {
                while (position < text.Length && text[position] is not (',' or '\r' or '\n'))
                {
                    field.Append(text[position++]);
                }

                fields.Add(field.ToString().Trim());
            }

            field.Clear();
            if (position >= text.Length)
            {
                return new CsvRecord(startLine, fields, null);
            }

            var separator = text[position++];
            if (separator == ',')
            {
                continue;
            }

            if (separator == '\r' && position < text.Length && text[position] == '\n')
            {
                position++;
            }

            line++;
            return new CsvRecord(startLine, fields, null);
        }
    }

    private static void SkipToNextLine(string text, ref int position, ref int line)
    {
        while (position < text.Length && text[position] != '\n')
        {
            position++;
        }

        if (position < text.Length)
        {
            position++;
            line++;
        }
    }
}
