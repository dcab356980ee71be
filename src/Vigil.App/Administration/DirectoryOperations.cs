using System.Net.Mail;
using System.Text.Json.Serialization;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Systems;
using Vigil.Storage;

namespace Vigil.App.Administration;

/// <summary>The outcome of a staff import: counts, and who the file left out (kept unchanged).</summary>
/// <param name="Errors">Rows refused ("file line N: ..."); with any, nothing was stored unless invalid rows were skipped.</param>
/// <param name="Stored">False when errors refused the whole file.</param>
/// <param name="ValidRows">Rows that parsed, stored or not.</param>
/// <param name="Plan">What the import changed (null when nothing was stored); for the CLI's listing, not part of the API's answer.</param>
public sealed record StaffImportOutcome(int Added, int Updated, int Unchanged, IReadOnlyList<string> MissingFromImport, IReadOnlyList<string> Errors, bool Stored,
    [property: JsonIgnore] int ValidRows = 0,
    [property: JsonIgnore] StaffImportPlan? Plan = null);

/// <summary>A member mapped to a person of the staff directory, with that person.</summary>
public sealed record PersonMapping(IdentityMapping Mapping, Person Person);

/// <summary>What declaring or clearing an account's dashboard SSO did.</summary>
/// <param name="Declaration">The declaration stored; null after a clear.</param>
/// <param name="Account">The synced account it applies to; null when no synced account has this id or name (yet).</param>
/// <param name="Label">The account as messages name it: "NAME (ID)", or the id or name as given.</param>
/// <param name="Removed">After a clear: whether there was a declaration to remove.</param>
/// <param name="Warnings">What may make the declaration not apply as meant (no such account synced, no active SSO connector for a domain).</param>
public sealed record SsoOutcome(SsoDeclaration? Declaration, CloudflareAccount? Account, string Label, bool Removed, IReadOnlyList<string> Warnings);

/// <summary>A synced Cloudflare account with the organisation's SSO declaration for it (or a declaration no synced account matches yet).</summary>
/// <param name="ConnectionId">Null for a declaration no synced account matches.</param>
/// <param name="SsoConnectors">What Cloudflare reported; null when not read.</param>
public sealed record AccountView(string Id, string Name, string? ConnectionId, bool? EnforceTwoFactor, SsoDeclaration? Sso, IReadOnlyList<SsoConnector>? SsoConnectors);

/// <summary>
/// Identity mappings, the staff directory, critical systems and dashboard-SSO declarations: the directory operations
/// the CLI and the API share.
/// </summary>
public static class DirectoryOperations
{
    /// <summary>Maps a Cloudflare member (by email) to a person of the staff directory.</summary>
    /// <exception cref="InvalidRequestException">An email is not one, or the person is not in the staff directory.</exception>
    /// <exception cref="UnknownReferenceException">The person is not in the staff directory.</exception>
    public static async Task<IdentityMapping> MapToPersonAsync(IVigilStore store, string memberEmail, string personEmail, TimeProvider time, CancellationToken ct) =>
        (await MapToDirectoryPersonAsync(store, memberEmail, personEmail, time, ct)).Mapping;

    /// <summary>As <see cref="MapToPersonAsync"/>, with the person of the directory it was mapped to (found by email or alias).</summary>
    public static async Task<PersonMapping> MapToDirectoryPersonAsync(IVigilStore store, string memberEmail, string personEmail, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var member = MemberEmail(memberEmail);
        var wanted = personEmail?.Trim() is { Length: > 0 } p ? p : throw new InvalidRequestException("person_email is required", "person_email");
        var target = new StaffDirectory(await store.ListPeopleAsync(ct)).Find(wanted)
            ?? throw new UnknownReferenceException($"no person with email {personEmail} in the staff directory; import it first with 'vigil staff import FILE'", "person_email");
        var mapping = new IdentityMapping(member, target.Email, null, time.GetUtcNow());
        await store.SaveMappingAsync(mapping, ct);
        return new PersonMapping(mapping, target);
    }

    /// <summary>Marks a Cloudflare member (by email) a service account, with why.</summary>
    /// <exception cref="InvalidRequestException">The email is not one, or the justification is blank.</exception>
    public static async Task<IdentityMapping> MarkServiceAccountAsync(IVigilStore store, string memberEmail, string justification, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var member = MemberEmail(memberEmail);
        if (string.IsNullOrWhiteSpace(justification))
        {
            throw new InvalidRequestException("--service-account needs a justification, e.g. --service-account \"CI deploy bot owned by the platform team\"", "justification");
        }

        var mapping = new IdentityMapping(member, null, justification.Trim(), time.GetUtcNow());
        await store.SaveMappingAsync(mapping, ct);
        return mapping;
    }

    /// <summary>Removes a member's manual mapping (matching by email applies again); false when it had none.</summary>
    public static Task<bool> ClearMappingAsync(IVigilStore store, string memberEmail, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.RemoveMappingAsync(MemberEmail(memberEmail), ct);
    }

    private static string MemberEmail(string? email)
    {
        var trimmed = email?.Trim() ?? "";
        return MailAddress.TryCreate(trimmed, out _) ? trimmed : throw new InvalidRequestException($"'{trimmed}' is not an email address", "member_email");
    }

    /// <summary>Imports a staff CSV or a SCIM Users JSON: adds and updates people by email, never deletes.</summary>
    /// <param name="scim">True for SCIM JSON, false for CSV.</param>
    /// <param name="skipInvalid">Store the valid rows even when some are refused; else any error stores nothing.</param>
    public static async Task<StaffImportOutcome> ImportStaffAsync(IVigilStore store, TextReader file, string fileName, bool scim, bool skipInvalid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var parsed = scim ? ScimUserParser.Parse(file, fileName) : StaffCsvParser.Parse(file, fileName);
        var errors = parsed.Errors.Select(e => e.ToString()).ToList();
        if (errors.Count > 0 && !skipInvalid)
        {
            return new StaffImportOutcome(0, 0, 0, [], errors, false, parsed.People.Count);
        }

        var plan = StaffImport.Plan(await store.ListPeopleAsync(ct), parsed.People);
        await store.UpsertPeopleAsync(plan.ToUpsert, ct);
        return new StaffImportOutcome(plan.Added.Count, plan.Updated.Count, plan.Unchanged.Count, [.. plan.MissingFromImport.Select(p => p.Email)], errors, true,
            parsed.People.Count, plan);
    }

    /// <summary>Whether a staff file is SCIM JSON: "scim" or "csv" when given, else by its name (.json = SCIM).</summary>
    /// <exception cref="InvalidRequestException">A format other than csv or scim.</exception>
    public static bool IsScim(string? format, string fileName) => format?.Trim().ToLowerInvariant() switch
    {
        "scim" => true,
        "csv" => false,
        null or "" => Path.GetExtension(fileName ?? "").Equals(".json", StringComparison.OrdinalIgnoreCase),
        _ => throw new InvalidRequestException("format must be csv or scim", "format"),
    };

    /// <summary>Registers Cloudflare as a critical system (or updates it): org roles allowed on it and its owner.</summary>
    /// <exception cref="InvalidRequestException">The system is not cloudflare, the owner is not an email, or neither a role nor an owner is given.</exception>
    public static async Task<CriticalSystem> SaveSystemAsync(IVigilStore store, string name, IReadOnlyList<string> orgRoles, string? owner, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        RequireCloudflare(name);
        owner = owner?.Trim();
        if (owner is not null && (owner.Length == 0 || !owner.Contains('@', StringComparison.Ordinal)))
        {
            throw new InvalidRequestException($"--owner '{owner}' is not an email address", "owner");
        }
        if (owner is null && (orgRoles is null || orgRoles.Count == 0))
        {
            throw new InvalidRequestException("give at least one --org-role, or --owner EMAIL", "org_roles");
        }

        var existing = await store.FindSystemAsync(CriticalSystem.CloudflareName, ct);
        var roles = existing?.AllowedRoles.ToList() ?? [];
        foreach (var role in (orgRoles ?? []).Select(r => r.Trim()).Where(r => r.Length > 0))
        {
            if (!roles.Any(r => r.OrgRole.Equals(role, StringComparison.OrdinalIgnoreCase)))
            {
                roles.Add(new AllowedOrgRole(role, []));
            }
        }
        if (roles.Count == 0 && owner is null)
        {
            throw new InvalidRequestException("give at least one non-empty --org-role", "org_roles");
        }

        var system = new CriticalSystem(CriticalSystem.CloudflareName, roles, existing?.RegisteredAt ?? time.GetUtcNow(), owner ?? existing?.Owner);
        await store.SaveSystemAsync(system, ct);
        return system;
    }

    /// <summary>Allows an org role on the system, limited to some Cloudflare roles (none: any role; "NAME@account": only account-wide).</summary>
    /// <exception cref="InvalidRequestException">The system is not registered yet, or the org role is blank.</exception>
    public static async Task<CriticalSystem> AllowRoleAsync(IVigilStore store, string name, string orgRole, IReadOnlyList<string> cloudflareRoles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        RequireCloudflare(name);
        var role = orgRole?.Trim() is { Length: > 0 } r ? r : throw new InvalidRequestException("org_role is required", "org_role");
        var existing = await store.FindSystemAsync(CriticalSystem.CloudflareName, ct)
            ?? throw new UnknownReferenceException($"{CriticalSystem.CloudflareName} is not registered yet: run 'vigil systems add {CriticalSystem.CloudflareName} --org-role ROLE' first", "system");
        var limits = (cloudflareRoles ?? []).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var roles = existing.AllowedRoles.Where(a => !a.OrgRole.Equals(role, StringComparison.OrdinalIgnoreCase)).ToList();
        roles.Add(new AllowedOrgRole(role, limits));
        var system = existing with { AllowedRoles = roles };
        await store.SaveSystemAsync(system, ct);
        return system;
    }

    /// <summary>
    /// The Cloudflare roles of <paramref name="cloudflareRoles"/> that no synced role or permission group is named: a typo
    /// there would make every holder of the real role fail. Empty before the first sync.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UnknownRoleWarningsAsync(IVigilStore store, IReadOnlyList<string> cloudflareRoles, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        if (snapshot is null || snapshot.Roles.Count == 0)
        {
            return [];
        }

        // Policy permission groups (direct or through user groups) are grants too; "NAME@account" limits NAME to account-wide grants.
        var known = snapshot.Roles.Select(r => r.Name)
            .Concat(snapshot.Members.SelectMany(m => m.Policies).SelectMany(p => p.PermissionGroups))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        const string accountWide = "@account";
        return [.. (cloudflareRoles ?? []).Where(l => !known.Contains(l.EndsWith(accountWide, StringComparison.OrdinalIgnoreCase) ? l[..^accountWide.Length].TrimEnd() : l))
            .Select(unknown => $"no synced Cloudflare role is named '{unknown}'; known roles: {string.Join(", ", known.Order())}")];
    }

    private static void RequireCloudflare(string name)
    {
        if (!string.Equals(name?.Trim(), CriticalSystem.CloudflareName, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"'{name}' is not a system Vigil knows; the only one is '{CriticalSystem.CloudflareName}'", "system");
        }
    }

    /// <summary>
    /// Declares that an account's users of some email domains sign in through dashboard SSO. The account is found by id
    /// or name among the synced accounts; before the first sync it is kept as given and matched when synced.
    /// </summary>
    /// <exception cref="InvalidRequestException">No domain, a domain that is not one, no evidence, or a name several accounts share.</exception>
    public static async Task<SsoOutcome> DeclareSsoAsync(IVigilStore store, string accountRef, IReadOnlyList<string> domains, string evidence, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        var (key, found, given) = await FindAccountAsync(store, accountRef, ct);
        var normalised = new List<string>();
        foreach (var domain in domains ?? [])
        {
            var clean = SsoDeclaration.NormaliseDomain(domain) ?? throw new InvalidRequestException($"'{domain}' is not an email domain (e.g. example.com)", "domains");
            if (!normalised.Contains(clean, StringComparer.Ordinal))
            {
                normalised.Add(clean);
            }
        }
        if (normalised.Count == 0)
        {
            throw new InvalidRequestException("give at least one --domain (or --clear to remove the declaration)", "domains");
        }
        if (string.IsNullOrWhiteSpace(evidence))
        {
            throw new InvalidRequestException("give --evidence \"TEXT\": what shows that these users sign in through SSO with a second factor", "evidence");
        }

        var declaration = new SsoDeclaration(key, normalised, evidence.Trim(), time.GetUtcNow());
        await store.SaveSsoDeclarationAsync(declaration, ct);
        if (found is not null && !string.Equals(key, given, StringComparison.Ordinal))
        {
            // A declaration made by name before the first sync is replaced by this one, kept by id.
            await store.RemoveSsoDeclarationAsync(given, ct);
        }

        var label = Label(found, given);
        var warnings = new List<string>();
        if (found is null)
        {
            warnings.Add($"no synced account is '{given}'; the declaration applies once an account with this id or name is synced (`vigil sync`).");
        }
        else if (found.SsoConnectors is { } connectors)
        {
            warnings.AddRange(normalised.Where(d => !connectors.Any(c => c.IsActive && string.Equals(c.EmailDomain, d, StringComparison.OrdinalIgnoreCase)))
                .Select(domain => $"Cloudflare shows no active SSO connector for {domain} in account {label}; the 2FA findings will say so."));
        }
        return new SsoOutcome(declaration, found, label, false, warnings);
    }

    /// <summary>Removes an account's SSO declaration; <see cref="SsoOutcome.Removed"/> is false when it had none.</summary>
    public static async Task<SsoOutcome> ClearSsoAsync(IVigilStore store, string accountRef, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (key, found, given) = await FindAccountAsync(store, accountRef, ct);
        var removed = await store.RemoveSsoDeclarationAsync(key, ct);
        if (!removed && found is not null)
        {
            removed = await store.RemoveSsoDeclarationAsync(given, ct);
        }
        return new SsoOutcome(null, found, Label(found, given), removed, []);
    }

    /// <summary>
    /// The synced accounts by name (then id), each with its SSO declaration (matched by id, else by name), then the
    /// declarations no synced account matches, under the id or name they were given.
    /// </summary>
    public static async Task<IReadOnlyList<AccountView>> ListAccountsAsync(IVigilStore store, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        var declarations = await store.ListSsoDeclarationsAsync(ct);
        var accounts = (snapshot?.Accounts ?? []).DistinctBy(a => a.Id)
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        SsoDeclaration? Find(CloudflareAccount a) =>
            declarations.FirstOrDefault(d => d.AccountId == a.Id)
            ?? declarations.FirstOrDefault(d => string.Equals(d.AccountId, a.Name.Trim(), StringComparison.OrdinalIgnoreCase));
        var views = accounts.Select(a => new AccountView(a.Id, a.Name, a.ConnectionId, a.EnforceTwoFactor, Find(a), a.SsoConnectors)).ToList();
        views.AddRange(declarations.Where(d => !accounts.Any(a => Find(a) == d))
            .Select(d => new AccountView(d.AccountId, d.AccountId, null, null, d, null)));
        return views;
    }

    private static string Label(CloudflareAccount? found, string given) => found is null ? given : $"{found.Name} ({found.Id})";

    private static async Task<(string Key, CloudflareAccount? Found, string Given)> FindAccountAsync(IVigilStore store, string accountRef, CancellationToken ct)
    {
        var given = accountRef?.Trim() is { Length: > 0 } g ? g : throw new InvalidRequestException("give the Cloudflare account id or name", "account");
        var accounts = (await store.LoadCurrentSnapshotAsync(ct))?.Accounts ?? [];
        var byId = accounts.Where(a => string.Equals(a.Id, given, StringComparison.OrdinalIgnoreCase)).ToList();
        var byName = accounts.Where(a => string.Equals(a.Name.Trim(), given, StringComparison.OrdinalIgnoreCase)).DistinctBy(a => a.Id).ToList();
        if (byId.Count == 0 && byName.Count > 1)
        {
            throw new InvalidRequestException($"{byName.Count} synced accounts are named '{given}': give the account id ({string.Join(", ", byName.Select(a => a.Id))})", "account");
        }

        var found = byId.FirstOrDefault() ?? byName.FirstOrDefault();
        return (found?.Id ?? given, found, given);
    }

    /// <summary>The critical-system name of Cloudflare, for callers that list systems.</summary>
    public const string CloudflareSystem = ComplianceEvaluator.CloudflareSystem;
}
