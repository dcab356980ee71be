using Spectre.Console;

namespace Vigil.Cli.Tests;

public sealed class RenderTests
{
    [Theory]
    [InlineData("Ada Lovelace", "Ada Lovelace")]
    [InlineData("Zoë 李 O'Brien", "Zoë 李 O'Brien")]
    [InlineData("a\u001b[2Jb", "a?[2Jb")]
    [InlineData("t\u001b]0;pwned\u0007", "t?]0;pwned?")]
    [InlineData("x\u009b31my", "x?31my")]
    [InlineData("del\u007f", "del?")]
    [InlineData("cr\roverwrite", "cr?overwrite")]
    [InlineData("two\nlines", "two?lines")]
    [InlineData("\u202Egnp.exe", "?gnp.exe")]
    [InlineData("iso\u2066late\u2069", "iso?late?")]
    [InlineData(null, "")]
    public void Clean_replaces_everything_that_drives_a_terminal(string? text, string expected)
    {
        Assert.Equal(expected, Render.Clean(text));
    }

    [Fact]
    public void Clean_returns_safe_text_unchanged()
    {
        const string text = "alex.chen@acmeanalytics.com";
        Assert.Same(text, Render.Clean(text));
    }

    [Fact]
    public void Plain_lines_keep_line_feeds_and_tabs_only()
    {
        Assert.Equal("a\n\tb?c", Render.CleanLines("a\n\tb\u001bc"));
    }

    [Theory]
    [InlineData("ada@example.com", 15)]
    [InlineData("李小龙", 6)]
    [InlineData("Zoë", 3)]
    [InlineData("e\u0301", 1)]
    [InlineData("🙂", 2)]
    public void Table_cells_are_measured_in_terminal_columns(string text, int columns)
    {
        Assert.Equal(columns, Output.PeoplePrinter.Width(text));
    }

    [Fact]
    public void A_colour_terminal_keeps_spectres_own_codes_and_gets_none_from_the_data()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.Standard,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        Render.Protect(console);

        console.Markup("[red]FAIL[/] ");
        console.Write(new Text("Ada\u001b]0;pwned\u0007\u001b[2J\n"));
        // A command that builds its own table and forgets Render.Clean is still covered.
        console.Write(new Table().AddColumn("name").AddRow(new Text("Bob\u009b2J\u202Eevil")));

        var text = output.ToString();
        Assert.Contains("\u001b[", text, StringComparison.Ordinal);
        Assert.Contains("Ada?]0;pwned??[2J", text, StringComparison.Ordinal);
        Assert.Contains("Bob?2J?evil", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[2J", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0007", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u009b", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", text, StringComparison.Ordinal);
    }
}
