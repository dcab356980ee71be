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
}
