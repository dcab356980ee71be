using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Sync;
using Vigil.Core.Systems;

namespace Vigil.Core.Tests.TestSupport;

/// <summary>People, systems and evaluation contexts for check tests.</summary>
internal static class Staff
{
    public static readonly DateTimeOffset Now = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);

    public static Person Active(string email, string? orgRole = "engineer", params string[] aliases) =>
        new(email, NameFrom(email), PersonStatus.Active, orgRole, null, aliases, null);

    public static Person Offboarded(string email, DateOnly? on, string? orgRole = "engineer", params string[] aliases) =>
        new(email, NameFrom(email), PersonStatus.Offboarded, orgRole, on, aliases, null);

    public static IdentityMapping MapToPerson(string memberEmail, string personEmail) => new(memberEmail, personEmail, null, Now);

    public static IdentityMapping MapToService(string memberEmail, string justification) => new(memberEmail, null, justification, Now);

    /// <summary>Cloudflare registered with the given org roles; "role=A,B" limits the role to Cloudflare roles A and B.</summary>
    public static CriticalSystem Cloudflare(params string[] allowed) => new(
        "cloudflare",
        allowed.Select(a => a.Split('=', 2) is [var role, var limit]
            ? new AllowedOrgRole(role, limit.Split(',', StringSplitOptions.TrimEntries))
            : new AllowedOrgRole(a, [])).ToList(),
        Now);

    public static EvaluationContext Context(
        Snapshot snapshot,
        IEnumerable<Person>? people = null,
        IEnumerable<IdentityMapping>? mappings = null,
        CriticalSystem? system = null,
        DateTimeOffset? now = null,
        CheckOptions? options = null,
        IReadOnlyList<SsoDeclaration>? sso = null) =>
        EvaluationContext.Create(snapshot, people ?? [], mappings ?? [], system, now ?? Now, options, ssoDeclarations: sso);

    /// <summary>An SSO declaration for an account, as `vigil accounts sso` stores it.</summary>
    public static SsoDeclaration Sso(string accountId, string evidence, params string[] domains) => new(accountId, domains, evidence, Now);

    private static string NameFrom(string email)
    {
        var local = email.Split('@')[0];
        return char.ToUpperInvariant(local[0]) + local[1..];
    }
}
