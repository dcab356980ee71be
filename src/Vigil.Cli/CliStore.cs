using Vigil.Core.Checks;
using Vigil.Core.Organisations;
using Vigil.Core.Storage;
using Vigil.Storage;

namespace Vigil.Cli;

/// <summary>
/// Opens the Vigil database for one command (VIGIL_DATABASE, else the SQLite file in VIGIL_HOME), bound to the organisation
/// the command is about: --org, else VIGIL_ORG, else the default organisation.
/// </summary>
internal static class CliStore
{
    public const string OrganisationVariable = "VIGIL_ORG";

    /// <summary>The --org value of this process's command line, set once before the command runs.</summary>
    public static string? OrganisationOption { get; set; }

    /// <summary>The organisation name asked for, or null for the default.</summary>
    public static string? SelectedOrganisation =>
        !string.IsNullOrWhiteSpace(OrganisationOption) ? OrganisationOption
        : Environment.GetEnvironmentVariable(OrganisationVariable) is { Length: > 0 } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment) ? fromEnvironment
        : null;

    /// <summary>The database bound to the selected organisation.</summary>
    /// <exception cref="CliException">The selected organisation does not exist.</exception>
    public static async Task<IVigilStore> OpenAsync(CancellationToken ct)
    {
        var store = await OpenDatabaseAsync(ct);
        try
        {
            return await BindAsync(store, ct);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>The database bound to the default organisation, for commands about organisations themselves.</summary>
    public static Task<IVigilStore> OpenDatabaseAsync(CancellationToken ct) => VigilDatabase.OpenFromEnvironmentAsync(TimeProvider.System, ct);

    private static async Task<IVigilStore> BindAsync(IVigilStore store, CancellationToken ct)
    {
        if (SelectedOrganisation is not { } name)
        {
            return store;
        }

        var organisation = await store.FindOrganisationAsync(name, ct)
            ?? throw new CliException($"there is no organisation '{name}' (from {(string.IsNullOrWhiteSpace(OrganisationOption) ? OrganisationVariable : "--org")}); " +
                $"add it with 'vigil org add {name}', or see 'vigil org list'");
        if (organisation.Id == store.Organisation.Id)
        {
            return store;
        }

        // The view keeps the database open after the default-bound store is disposed here.
        var view = store.ForOrganisation(organisation);
        await store.DisposeAsync();
        return view;
    }

    /// <summary>Evaluates and stores the results; on a read-only home it evaluates without storing (and says so).</summary>
    public static ComplianceEvaluator Evaluator(IVigilStore store) =>
        Vigil.App.CheckEvaluation.Evaluator(store, TimeProvider.System, line => Console.Error.WriteLine($"vigil: note: {line}"));

    /// <summary>How messages name the organisation a command worked on: nothing for the default, " (organisation X)" otherwise.</summary>
    public static string Describe(Organisation organisation) => organisation.IsDefault ? "" : $" (organisation {organisation.Name})";
}
