using Vigil.App;
using Vigil.App.Administration;
using Vigil.Storage;
using System.CommandLine;
using Vigil.Core.Settings;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil settings set KEY VALUE | get KEY | list</c>: the organisation's settings (time zone, grace period, data age).</summary>
internal static class SettingsCommand
{
    public static Command Build()
    {
        var setKey = new Argument<string>("KEY") { Description = KeysHelp() };
        var setValue = new Argument<string>("VALUE") { Description = "The new value; invalid values are refused and nothing is stored" };
        var set = new Command("set", "Set one organisation setting") { setKey, setValue };
        set.SetAction((parse, ct) => SetAsync(parse.GetValue(setKey)!, parse.GetValue(setValue)!, ct));

        var getKey = new Argument<string>("KEY") { Description = KeysHelp() };
        var get = new Command("get", "Print one setting's value (its default when not set)") { getKey };
        get.SetAction((parse, ct) => GetAsync(parse.GetValue(getKey)!, ct));

        var list = new Command("list", "List every setting with its value, its default and what it means");
        list.SetAction((_, ct) => ListAsync(ct));

        return new Command("settings", "Show or change the organisation's settings") { set, get, list };
    }

    internal static async Task<int> SetAsync(string name, string value, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var saved = await SettingsOperations.SetAsync(store, name, value, ct);
        Console.WriteLine($"{saved.Key} = {saved.Value}");
        return ExitCodes.Ok;
    }

    private static async Task<int> GetAsync(string name, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        Console.WriteLine((await SettingsOperations.GetAsync(store, name, ct)).Value);
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var table = Render.Table("key", "value", "default", "meaning");
        foreach (var setting in await SettingsOperations.ListAsync(store, ct))
        {
            var source = setting.Source switch { "stored" => "", var s => $" ({s})" };
            table.AddRow(setting.Key, setting.Value + source, setting.Default, setting.Description);
        }
        Render.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The stored settings merged with what vigil.yaml sets (see <see cref="CheckConfiguration"/>); a stored value this system
    /// cannot read any more is an error that says how to fix it.
    /// </summary>
    internal static Task<OrganisationSettings> LoadAsync(IVigilStore store, CancellationToken ct) => CheckConfiguration.SettingsAsync(store, ct);

    private static string KeysHelp() => "One of: " + string.Join(", ", OrganisationSettings.Keys.Select(k => k.Name));
}
