using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Vigil.App.History;
using Vigil.Core.History;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil history [--check ID] [--format json]</c>: check results over time, one row per stored evaluation (and check).</summary>
internal static class HistoryCommand
{
    public static Command Build()
    {
        var check = new Option<string?>("--check") { Description = "Only this check's rows, e.g. cloudflare.zone-min-tls-1-2" };
        var format = ChecksCommand.FormatOption();
        var command = new Command("history", "Show check results over time: one row per stored evaluation, oldest first") { check, format };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await CliStore.OpenAsync(ct);
            var rows = await HistoryOperations.CheckHistoryAsync(store, parse.GetValue(check), ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, HistoryJson.Readable.IReadOnlyListCheckHistoryRow));
                return ExitCodes.Ok;
            }
            if (rows.Count == 0)
            {
                AnsiConsole.WriteLine("No evaluation is stored yet: 'vigil sync' evaluates the checks after each sync.");
                return ExitCodes.Ok;
            }
            var table = Render.Table("evaluated (UTC)", "snapshot id", "check", "status", "failing", "passing", "unknown", "skipped", "excepted");
            foreach (var row in rows)
            {
                table.AddRow($"{row.EvaluatedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss}", row.SnapshotId, row.CheckId, row.Status, row.Failing.ToString(),
                    row.Passing.ToString(), row.Unknown.ToString(), row.Skipped.ToString(), row.Excepted.ToString());
            }
            Render.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary><c>vigil diff SNAPSHOT_A SNAPSHOT_B [--format json]</c>: what changed in access and zone settings between two snapshots.</summary>
internal static class DiffCommand
{
    public static Command Build()
    {
        var from = new Argument<string>("SNAPSHOT_A") { Description = "The earlier snapshot (run) id, as 'vigil runs' lists it" };
        var to = new Argument<string>("SNAPSHOT_B") { Description = "The later snapshot (run) id" };
        var format = ChecksCommand.FormatOption();
        var command = new Command("diff", "Show what changed between two snapshots: memberships added, removed, re-roled, 2FA changed; zones added, removed, settings changed")
        {
            from, to, format,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await CliStore.OpenAsync(ct);
            var diff = await HistoryOperations.DiffAsync(store, parse.GetValue(from)!, parse.GetValue(to)!, ct);
            if (parse.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(diff, HistoryJson.Readable.SnapshotDiff));
            }
            else
            {
                Print(diff);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(SnapshotDiff diff)
    {
        AnsiConsole.WriteLine($"From snapshot {diff.From.SnapshotId} ({diff.From.TakenAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC) to {diff.To.SnapshotId} ({diff.To.TakenAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC)");
        if (!diff.HasChanges)
        {
            AnsiConsole.WriteLine("No change in memberships or zones.");
            return;
        }
        static string Account(string id, string? name) => name is null ? id : $"{name} ({id})";
        static string TwoFactor(bool? on) => on switch { true => "on", false => "off", null => "not reported" };
        static string Roles(IReadOnlyList<string> roles) => roles.Count == 0 ? "no roles" : string.Join(", ", roles);
        var m = diff.Memberships;
        Section($"Memberships added ({m.Added.Count})", m.Added.Select(a => $"{a.Email} in {Account(a.AccountId, a.AccountName)}: {Roles(a.Roles)}; 2FA {TwoFactor(a.TwoFactorEnabled)}; {a.Status}"));
        Section($"Memberships removed ({m.Removed.Count})", m.Removed.Select(a => $"{a.Email} in {Account(a.AccountId, a.AccountName)}: {Roles(a.Roles)}"));
        Section($"Memberships re-roled ({m.ReRoled.Count})", m.ReRoled.Select(r => $"{r.Email} in {Account(r.AccountId, r.AccountName)}: {Roles(r.OldRoles)} -> {Roles(r.NewRoles)}"));
        Section($"2FA changed ({m.TwoFactorChanged.Count})", m.TwoFactorChanged.Select(t => $"{t.Email} in {Account(t.AccountId, t.AccountName)}: {TwoFactor(t.Old)} -> {TwoFactor(t.New)}"));
        var z = diff.Zones;
        Section($"Zones added ({z.Added.Count})", z.Added.Select(a => $"{a.Zone} in {Account(a.AccountId, a.AccountName)}: {a.Status}{(a.Plan is null ? "" : $", {a.Plan} plan")}"));
        Section($"Zones removed ({z.Removed.Count})", z.Removed.Select(a => $"{a.Zone} in {Account(a.AccountId, a.AccountName)}"));
        Section($"Zone settings changed ({z.SettingsChanged.Count} zones)", z.SettingsChanged.SelectMany(c => c.Settings.Select(s => $"{c.Zone}: {s.Setting} {s.Old} -> {s.New}")));
    }

    private static void Section(string title, IEnumerable<string> lines)
    {
        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine($"{title}:");
        var any = false;
        foreach (var line in lines)
        {
            AnsiConsole.WriteLine($"  {line}");
            any = true;
        }
        if (!any)
        {
            AnsiConsole.WriteLine("  none");
        }
    }
}

/// <summary>The JSON of `vigil history` and `vigil diff` (snake_case, like every other command's).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(IReadOnlyList<CheckHistoryRow>))]
[JsonSerializable(typeof(SnapshotDiff))]
internal sealed partial class HistoryJson : JsonSerializerContext
{
    /// <summary>Leaves '&lt;', '&gt;' and '&amp;' readable, as <see cref="Output.CliJson.Readable"/> does.</summary>
    public static HistoryJson Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
