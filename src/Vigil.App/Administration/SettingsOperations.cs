using Vigil.Core.Settings;
using Vigil.Storage;

namespace Vigil.App.Administration;

/// <summary>One setting: its value, its default, where the value comes from and what it means.</summary>
/// <param name="Source">"stored", "vigil.yaml line N" or "default".</param>
public sealed record SettingView(string Key, string Value, string Default, string Source, string Description);

/// <summary>The organisation's settings, shared by <c>vigil settings</c> and the API.</summary>
public static class SettingsOperations
{
    public static async Task<IReadOnlyList<SettingView>> ListAsync(IVigilStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stored = await store.ListSettingsAsync(ct);
        var settings = await CheckConfiguration.SettingsAsync(store, ct);
        var config = await CheckConfiguration.LoadAsync(store, ct);
        return [.. OrganisationSettings.Keys.Select(key =>
        {
            var fromYaml = config.Settings.FirstOrDefault(c => c.SettingKey == key.Name);
            var source = fromYaml is not null ? $"vigil.yaml line {fromYaml.Line}" : stored.ContainsKey(key.Name) ? "stored" : "default";
            return new SettingView(key.Name, key.Format(settings), key.DefaultText, source, key.Description);
        })];
    }

    /// <summary>One setting as <see cref="ListAsync"/> shows it.</summary>
    /// <exception cref="InvalidRequestException">Unknown key.</exception>
    public static async Task<SettingView> GetAsync(IVigilStore store, string name, CancellationToken ct)
    {
        var key = Find(name);
        return (await ListAsync(store, ct)).First(s => s.Key == key.Name);
    }

    /// <summary>Validates and stores one setting; an invalid value or one vigil.yaml sets differently stores nothing.</summary>
    /// <exception cref="InvalidRequestException">Unknown key, invalid value, or vigil.yaml sets it (names the line).</exception>
    public static async Task<SettingView> SetAsync(IVigilStore store, string name, string value, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var key = Find(name);
        string normalised;
        try
        {
            normalised = key.Normalise(value ?? "");
        }
        catch (SettingValueException e)
        {
            throw new InvalidRequestException($"{e.Message}; nothing was changed", "value");
        }

        // One value per setting: one vigil.yaml sets differently is refused, naming its line (change it there instead).
        var config = await CheckConfiguration.LoadAsync(store, ct);
        var configured = config.Settings.FirstOrDefault(c => c.SettingKey == key.Name);
        if (configured is not null && configured.Value != normalised)
        {
            throw new InvalidRequestException($"{config.Source} line {configured.Line} sets {key.Name} = {configured.Value} ({configured.Written}); " +
                "change it there, or delete that line first; nothing was changed", "value");
        }

        await store.SaveSettingAsync(key.Name, normalised, ct);
        return new SettingView(key.Name, normalised, key.DefaultText, configured is not null ? $"vigil.yaml line {configured.Line}" : "stored", key.Description);
    }

    /// <exception cref="InvalidRequestException">No setting has this name.</exception>
    public static SettingKey Find(string name) => OrganisationSettings.FindKey(name)
        ?? throw new InvalidRequestException($"unknown setting '{name}'; known settings: {string.Join(", ", OrganisationSettings.Keys.Select(k => k.Name))}", "key");
}
