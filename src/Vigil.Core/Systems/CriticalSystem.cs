namespace Vigil.Core.Systems;

/// <summary>A system registered as critical, with the org roles allowed to access it.</summary>
/// <param name="Name">"cloudflare".</param>
/// <param name="Owner">The system owner's email: reviews the access no manager reviews, may reassign and decide any review item, and signs campaigns off; null when none is set.</param>
public sealed record CriticalSystem(string Name, IReadOnlyList<AllowedOrgRole> AllowedRoles, DateTimeOffset RegisteredAt, string? Owner = null)
{
    /// <summary>The name Cloudflare is registered under; the checks judge the system with this name.</summary>
    public const string CloudflareName = "cloudflare";
}

/// <summary>An org role allowed on a system, optionally limited to some of the system's own roles.</summary>
/// <param name="SystemRoles">Cloudflare role names this org role may hold; empty means no limit.</param>
public sealed record AllowedOrgRole(string OrgRole, IReadOnlyList<string> SystemRoles);
