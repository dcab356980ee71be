using Vigil.App;
using System.CommandLine;
using Vigil.Core.Settings;
using Vigil.Storage;

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
        var key = Find(name);
        string normalised;
        try
        {
            normalised = key.Normalise(value);
        }
        catch (SettingValueException e)
        {
            throw new UsageException($"{e.Message}; nothing was changed");
        }

        await using var store = await CliStore.OpenAsync(ct);
        // One value per setting: one vigil.yaml sets differently is refused, naming its line (change it there instead).
        var config = await CheckConfiguration.LoadAsync(store, ct);
        if (config.Settings.FirstOrDefault(c => c.SettingKey == key.Name) is { } configured && configured.Value != normalised)
        {
            throw new UsageException($"{config.Source} line {configured.Line} sets {key.Name} = {configured.Value} ({configured.Written}); " +
                "change it there, or delete that line first; nothing was changed");
        }
        await store.SaveSettingAsync(key.Name, normalised, ct);
        Console.WriteLine($"{key.Name} = {normalised}");
        return ExitCodes.Ok;
    }

    private static async Task<int> GetAsync(string name, CancellationToken ct)
    {
        var key = Find(name);
        await using var store = await CliStore.OpenAsync(ct);
        Console.WriteLine(key.Format(await LoadAsync(store, ct)));
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        var stored = await store.ListSettingsAsync(ct);
        var settings = await LoadAsync(store, ct);
        var config = await CheckConfiguration.LoadAsync(store, ct);
        var table = Render.Table("key", "value", "default", "meaning");
        foreach (var key in OrganisationSettings.Keys)
        {
            var fromYaml = config.Settings.FirstOrDefault(c => c.SettingKey == key.Name);
            var value = key.Format(settings) + (fromYaml is not null ? $" (vigil.yaml line {fromYaml.Line})" : stored.ContainsKey(key.Name) ? "" : " (default)");
            table.AddRow(key.Name, value, key.DefaultText, key.Description);
        }
        Render.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The stored settings merged with what vigil.yaml sets (see <see cref="CheckConfiguration"/>); a stored value this system
    /// cannot read any more is an error that says how to fix it.
    /// </summary>
    internal static Task<OrganisationSettings> LoadAsync(IVigilStore store, CancellationToken ct) => CheckConfiguration.SettingsAsync(store, ct);

    private static SettingKey Find(string name) => OrganisationSettings.FindKey(name)
        ?? throw new UsageException($"unknown setting '{name}'; known settings: {string.Join(", ", OrganisationSettings.Keys.Select(k => k.Name))}");

    private static string KeysHelp() => "One of: " + string.Join(", ", OrganisationSettings.Keys.Select(k => k.Name));
}
