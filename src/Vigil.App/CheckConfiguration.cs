using Vigil.Core.Checks;
using Vigil.Core.Configuration;
using Vigil.Core.Settings;
using Vigil.Core.Storage;
using Vigil.Storage;
using Vigil.Storage.Configuration;

namespace Vigil.App;

/// <summary>
/// Where the organisation's vigil.yaml lives and how it becomes check options. The file VIGIL_HOME/vigil.yaml when it
/// exists; otherwise the same text stored per organisation under the <c>config_yaml</c> setting (how a database-backed
/// deployment without a home folder keeps it); otherwise nothing. Edits go back where the document came from, and to the
/// file when there was none. The file belongs to the default organisation of the home's SQLite database; every other
/// organisation, and every organisation on PostgreSQL (shared by machines that do not share a home), keeps its document
/// in its own settings.
/// </summary>
public static class CheckConfiguration
{
    /// <summary>The document's text and where it came from.</summary>
    /// <param name="FromSettings">True when the text is the <c>config_yaml</c> setting rather than the file.</param>
    public sealed record Document(string Text, string Source, bool FromSettings, bool Exists);

    public static string FilePath => Path.Combine(VigilHome.Locate(), VigilYaml.FileName);

    public static async Task<Document> ReadAsync(ISettingsStore settings, CancellationToken ct)
    {
        var path = FilePath;
        var usesFile = settings is not IVigilStore store || (store.Engine == "sqlite" && store.Organisation.IsDefault);
        if (usesFile && File.Exists(path))
        {
            return new Document(await File.ReadAllTextAsync(path, ct), path, FromSettings: false, Exists: true);
        }

        var stored = await settings.ListSettingsAsync(ct);
        return stored.TryGetValue(VigilConfig.SettingsKey, out var text)
            ? new Document(text, $"setting {VigilConfig.SettingsKey}", FromSettings: true, Exists: true)
            : usesFile ? new Document("", path, FromSettings: false, Exists: false)
            : new Document("", $"setting {VigilConfig.SettingsKey}", FromSettings: true, Exists: false);
    }

    /// <summary>The parsed document; an invalid one is an error naming the line.</summary>
    public static async Task<VigilConfig> LoadAsync(ISettingsStore settings, CancellationToken ct)
    {
        var document = await ReadAsync(settings, ct);
        try
        {
            return VigilYaml.Parse(document.Text, document.Source);
        }
        catch (ConfigException e)
        {
            throw new OperationException($"{e.Message}; nothing was evaluated");
        }
    }

    /// <summary>Writes edited text back where it came from: atomically to the file (temp file + rename), or to the setting.</summary>
    public static async Task WriteAsync(ISettingsStore settings, Document document, string text, CancellationToken ct)
    {
        if (document.FromSettings)
        {
            await settings.SaveSettingAsync(VigilConfig.SettingsKey, text, ct);
            return;
        }

        var path = document.Source;
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, text, ct);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The organisation's settings: stored values merged with vigil.yaml.</summary>
    public static async Task<OrganisationSettings> SettingsAsync(ISettingsStore store, CancellationToken ct)
    {
        var config = await LoadAsync(store, ct);
        try
        {
            return config.ApplyTo(await store.ListSettingsAsync(ct));
        }
        catch (ConfigException e)
        {
            throw new OperationException(e.Message);
        }
        catch (SettingValueException e)
        {
            throw new OperationException($"stored setting {e.Message}; change it with 'vigil settings set KEY VALUE'");
        }
    }

    /// <summary>
    /// The check options: stored settings merged with vigil.yaml (a value set in both must agree), command-line
    /// overrides on top, and the document's exceptions.
    /// </summary>
    /// <param name="enabledChecks">--checks, overriding checks.enabled for this run; null: the setting.</param>
    public static async Task<CheckOptions> OptionsAsync(ISettingsStore store, int? graceDays, string? enabledChecks, CancellationToken ct)
    {
        var config = await LoadAsync(store, ct);
        OrganisationSettings settings;
        try
        {
            settings = config.ApplyTo(await store.ListSettingsAsync(ct));
        }
        catch (ConfigException e)
        {
            throw new OperationException(e.Message);
        }
        catch (SettingValueException e)
        {
            throw new OperationException($"stored setting {e.Message}; change it with 'vigil settings set KEY VALUE'");
        }

        try
        {
            return settings.ToCheckOptions(graceDays, enabledChecks) with { Exceptions = config.Exceptions };
        }
        catch (SettingValueException e)
        {
            throw new InvalidRequestException(enabledChecks is null ? e.Message : $"--checks: {e.Message}");
        }
    }

    /// <summary>The checks the options enable, in catalogue order.</summary>
    public static IReadOnlyList<ICheck> Enabled(CheckOptions options) =>
        options.EnabledChecks is { } ids ? [.. CheckCatalog.All.Where(c => ids.Contains(c.Definition.Id))] : CheckCatalog.All;
}
