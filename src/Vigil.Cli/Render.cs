using Spectre.Console;

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
        table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());

    public static void Write(Table table) => AnsiConsole.Write(table);

    /// <summary>Enum values as the CLI and JSON spell them: lower case, words joined by '_'.</summary>
    public static string Lower<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool IsInteractive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
}
