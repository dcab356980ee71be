namespace Vigil.Core.Organisations;

/// <summary>
/// A tenant: one company whose Cloudflare accounts, staff directory, mappings, systems, settings, snapshots and evaluations
/// Vigil keeps apart from every other's. A single company never names one: everything then belongs to the default.
/// </summary>
/// <param name="Id">Stable id: <see cref="DefaultId"/> for the default organisation, a UUID for the others.</param>
/// <param name="Name">Unique, compared case-insensitively; 1 to 100 characters, no control characters.</param>
public sealed record Organisation(string Id, string Name, DateTimeOffset CreatedAt)
{
    public const string DefaultId = "default";
    public const string DefaultName = "default";

    public bool IsDefault => Id == DefaultId;

    /// <summary>Why a name cannot name an organisation; null when it can.</summary>
    public static string? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "an organisation name cannot be empty";
        }

        if (name.Length > 100)
        {
            return "an organisation name has at most 100 characters";
        }

        if (name.Trim() != name)
        {
            return "an organisation name cannot start or end with a space";
        }

        return name.Any(char.IsControl) ? "an organisation name cannot contain control characters" : null;
    }
}

/// <summary>What <see cref="IOrganisationStore.RemoveOrganisationAsync"/> did.</summary>
public enum OrganisationRemoval
{
    Removed,
    NotFound,

    /// <summary>Refused: it still has connections and removal was not forced.</summary>
    HasConnections,

    /// <summary>Refused: the default organisation always exists.</summary>
    IsDefault,
}

/// <summary>The organisations of one Vigil database. The only store calls that are not about one organisation.</summary>
public interface IOrganisationStore
{
    /// <summary>Every organisation by name (case-insensitive order), the default first.</summary>
    Task<IReadOnlyList<Organisation>> ListOrganisationsAsync(CancellationToken ct);

    /// <summary>The organisation with this name, compared case-insensitively; null when there is none.</summary>
    Task<Organisation?> FindOrganisationAsync(string name, CancellationToken ct);

    /// <summary>Adds an organisation.</summary>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    /// <exception cref="InvalidOperationException">An organisation of that name (in any case) exists.</exception>
    Task<Organisation> AddOrganisationAsync(string name, DateTimeOffset createdAt, CancellationToken ct);

    /// <summary>
    /// Removes an organisation and, in the same transaction, everything that belongs to it (connections, credentials,
    /// people, mappings, systems, settings, runs, snapshots, evidence, evaluations). Refuses while it has connections
    /// unless <paramref name="force"/>; never removes the default organisation.
    /// </summary>
    Task<OrganisationRemoval> RemoveOrganisationAsync(string name, bool force, CancellationToken ct);

    /// <summary>How many connections the organisation has (what a removal without force would refuse on).</summary>
    Task<int> CountConnectionsAsync(string organisationId, CancellationToken ct);
}
