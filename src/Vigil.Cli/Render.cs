using System.Text;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Vigil.Cli;

/// <summary>Small helpers around Spectre.Console so commands stay short; all text is escaped, never parsed as markup.</summary>
internal static class Render
{
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }
        return table;
    }

    public static void AddRow(this Table table, params string[] cells) =>
        table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(Clean(c))).ToArray());

    public static void Write(Table table) => AnsiConsole.Write(table);

    /// <summary>Enum values as the CLI and JSON spell them: lower case, words joined by '_'.</summary>
    public static string Lower<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>
    /// Makes every later write to the terminal safe: Console.Out and Console.Error drop control characters, and
    /// Spectre.Console (which writes its own colour codes to the real stdout) cleans every text segment it renders.
    /// Names, emails and messages come from files and from Cloudflare; an escape sequence in them must not clear the
    /// screen, retitle the window or reorder text. Called once, first thing, so no command can forget.
    /// </summary>
    public static void InstallTerminalFilter()
    {
        if (Console.Out is TerminalSafeWriter)
        {
            return;
        }

        var stdout = Console.Out;
        var stdoutIsTerminal = !Console.IsOutputRedirected;
        var spectre = AnsiConsole.Console;
        spectre.Profile.Out = new RawOutput(stdout, stdoutIsTerminal);
        Protect(spectre);
        Console.SetOut(TextWriter.Synchronized(new TerminalSafeWriter(stdout)));
        Console.SetError(TextWriter.Synchronized(new TerminalSafeWriter(Console.Error)));
    }

    /// <summary>Cleans the text of everything <paramref name="console"/> renders; its own colour and cursor codes pass.</summary>
    internal static void Protect(IAnsiConsole console) => console.Pipeline.Attach(new CleaningHook());

    /// <summary>
    /// <paramref name="text"/> with every character that could drive a terminal replaced by '?': C0 controls except
    /// line feed and tab (ESC, BEL, CR, backspace...), DEL, C1 controls (0x80-0x9F, e.g. the 8-bit CSI), and the Unicode
    /// bidirectional overrides and isolates that reorder what is shown. Null gives "".
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var unsafeAt = IndexOfUnsafe(text, keepLineBreaks: false);
        if (unsafeAt < 0)
        {
            return text;
        }

        return Replace(text, unsafeAt, keepLineBreaks: false);
    }

    internal static bool IsUnsafe(char c, bool keepLineBreaks) => c switch
    {
        '\n' or '\t' => !keepLineBreaks && c == '\n',
        < ' ' => true,
        >= '\u007F' and <= '\u009F' => true,
        // LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM, ALM.
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        '\u200E' or '\u200F' or '\u061C' => true,
        _ => false,
    };

    private static int IndexOfUnsafe(string text, bool keepLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsUnsafe(text[i], keepLineBreaks))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Replace(string text, int from, bool keepLineBreaks)
    {
        var builder = new StringBuilder(text.Length);
        builder.Append(text, 0, from);
        for (var i = from; i < text.Length; i++)
        {
            builder.Append(IsUnsafe(text[i], keepLineBreaks) ? '?' : text[i]);
        }

        return builder.ToString();
    }

    /// <summary>Plain text lines: keeps line feeds and tabs, replaces every other unsafe character.</summary>
    internal static string CleanLines(string text)
    {
        var unsafeAt = IndexOfUnsafe(text, keepLineBreaks: true);
        return unsafeAt < 0 ? text : Replace(text, unsafeAt, keepLineBreaks: true);
    }

    /// <summary>Console.Out/Error as installed by <see cref="InstallTerminalFilter"/>.</summary>
    private sealed class TerminalSafeWriter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;

        public override IFormatProvider FormatProvider => inner.FormatProvider;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string NewLine
        {
            get => inner.NewLine;
            set => inner.NewLine = value;
        }

        public override void Write(char value) => inner.Write(IsUnsafe(value, keepLineBreaks: true) ? '?' : value);

        public override void Write(string? value)
        {
            if (value is not null)
            {
                inner.Write(CleanLines(value));
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : CleanLines(value));

        public override void Flush() => inner.Flush();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Flush();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Spectre's output: the real stdout (its own colour codes must pass), with the terminal flag taken before the swap.</summary>
    private sealed class RawOutput(TextWriter writer, bool isTerminal) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => isTerminal;

        public int Width => isTerminal && TrySize(() => Console.WindowWidth) is > 0 and var w ? w : 80;

        public int Height => isTerminal && TrySize(() => Console.WindowHeight) is > 0 and var h ? h : 24;

        public void SetEncoding(Encoding encoding)
        {
            if (isTerminal)
            {
                Console.OutputEncoding = encoding;
            }
        }

        private static int TrySize(Func<int> read)
        {
            try
            {
                return read();
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    /// <summary>Cleans the text of everything Spectre renders (tables, status lines, markup) and lets its control codes pass.</summary>
    private sealed class CleaningHook : IRenderHook
    {
        public IEnumerable<IRenderable> Process(RenderOptions options, IEnumerable<IRenderable> renderables) =>
            renderables.Select(r => (IRenderable)new CleanRenderable(r));
    }

    private sealed class CleanRenderable(IRenderable inner) : IRenderable
    {
        public Measurement Measure(RenderOptions options, int maxWidth) => inner.Measure(options, maxWidth);

        public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            foreach (var segment in inner.Render(options, maxWidth))
            {
                yield return segment.IsControlCode || segment.IsLineBreak || IndexOfUnsafe(segment.Text, keepLineBreaks: true) < 0
                    ? segment
                    : new Segment(CleanLines(segment.Text), segment.Style);
            }
        }
    }
}
