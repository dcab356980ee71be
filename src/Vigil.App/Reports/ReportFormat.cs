namespace Vigil.App.Reports;

/// <summary>The formats <c>vigil report</c> writes.</summary>
public enum ReportFormat
{
    Html,
    Csv,
    Json,
    Ocsf,
}

public static class ReportFormats
{
    /// <summary>The names as the command line and the API take them.</summary>
    public static readonly IReadOnlyList<string> Names = ["html", "csv", "json", "ocsf"];

    /// <exception cref="InvalidRequestException">Not one of html, csv, json, ocsf.</exception>
    public static ReportFormat Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "html" => ReportFormat.Html,
        "csv" => ReportFormat.Csv,
        "json" => ReportFormat.Json,
        "ocsf" => ReportFormat.Ocsf,
        _ => throw new InvalidRequestException($"--format must be html, csv, json or ocsf{(string.IsNullOrWhiteSpace(name) ? "" : $", not '{name.Trim()}'")}", "format"),
    };

    public static string Name(this ReportFormat format) => Names[(int)format];

    /// <summary>The media type a download is served with.</summary>
    public static string MediaType(this ReportFormat format) => format switch
    {
        ReportFormat.Html => "text/html; charset=utf-8",
        ReportFormat.Csv => "text/csv; charset=utf-8",
        ReportFormat.Json => "application/json",
        _ => "application/x-ndjson",
    };

    /// <summary>Writes the report in this format.</summary>
    public static void Write(this ReportFormat format, EvidenceReport report, Stream output)
    {
        switch (format)
        {
            case ReportFormat.Html:
                HtmlReportWriter.Write(report, output);
                break;
            case ReportFormat.Csv:
                CsvReportWriter.Write(report, output);
                break;
            case ReportFormat.Json:
                JsonReportWriter.Write(report, output);
                break;
            default:
                OcsfReportWriter.Write(report, output);
                break;
        }
    }
}
