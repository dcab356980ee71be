using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>Which memberships to list; parts combine with AND.</summary>
/// <param name="Account">A Cloudflare account id or name.</param>
/// <param name="Flag">One flag (see <see cref="RiskFlags"/>): unidentified, offboarded, role_beyond_limit, no_2fa, super_administrator, pending_invite_over_30_days.</param>
/// <param name="Identity">person, service_account or unidentified.</param>
/// <param name="Search">Text found (case-insensitive) in the member's email or name, or the person's email or name.</param>
public sealed record MemberFilter(string? Account = null, string? Flag = null, string? Identity = null, string? Search = null);

/// <summary>The staff-directory person a member resolves to.</summary>
/// <param name="Status">active or offboarded.</param>
public sealed record MemberPersonView(string Email, string Name, string Status, string? OrgRole, DateOnly? OffboardedOn, string? ManagerEmail);

/// <summary>One grant of a membership: a role or permission group over a scope.</summary>
public sealed record MemberGrantView(string Name, string Scope, bool AccountWide, string? ViaGroup);

/// <summary>One membership of one user in one Cloudflare account, with who they are and what is wrong with it.</summary>
/// <param name="Status">accepted, pending, or Cloudflare's other status text.</param>
/// <param name="TwoFactorEnabled">Null when Cloudflare did not say (not "enabled").</param>
/// <param name="Roles">Legacy role names.</param>
/// <param name="Grants">Roles and permission groups with their scope, as the access checks read them.</param>
/// <param name="Identity">person, service_account or unidentified.</param>
/// <param name="MatchedBy">How the person was found: mapping, email or alias; null unless identity is person.</param>
/// <param name="ServiceAccount">The service-account justification; null unless identity is service_account.</param>
/// <param name="UnidentifiedReason">Why nobody matched; null unless identity is unidentified.</param>
/// <param name="Flags">The membership's risk flags, as review items carry them (from the newest evaluation's failing access checks, grants and invitation age).</param>
public sealed record MemberView(
    string Id,
    string AccountId,
    string AccountName,
    string Email,
    string? Name,
    string Status,
    bool? TwoFactorEnabled,
    IReadOnlyList<string> Roles,
    IReadOnlyList<MemberGrantView> Grants,
    string Identity,
    string? MatchedBy,
    MemberPersonView? Person,
    string? ServiceAccount,
    string? UnidentifiedReason,
    IReadOnlyList<string> Flags,
    DateTimeOffset? FirstSeenAt);

/// <summary>Every membership of the current snapshot, ordered by account name, account id, email and member id.</summary>
public static class MembersQuery
{
    public const string IdentityPerson = "person";
    public const string IdentityServiceAccount = "service_account";
    public const string IdentityUnidentified = "unidentified";

    public static IReadOnlyList<string> Flags { get; } =
    [
        RiskFlags.Unidentified, RiskFlags.Offboarded, RiskFlags.RoleBeyondLimit, RiskFlags.NoTwoFactor, RiskFlags.SuperAdministrator, RiskFlags.StaleInvite,
    ];

    /// <param name="now">The moment invitation ages are measured at.</param>
    /// <exception cref="InvalidRequestException">A filter value is not one the field accepts.</exception>
    public static async Task<Page<MemberView>> ListAsync(IVigilStore store, MemberFilter filter, PageRequest page, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        page.Validate();
        var flag = filter.Flag?.Trim() is { Length: > 0 } f ? f : null;
        if (flag is not null && !Flags.Contains(flag, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"flag '{flag}' is not one of {string.Join(", ", Flags)}", "flag");
        }

        var identity = filter.Identity?.Trim() is { Length: > 0 } i ? i : null;
        if (identity is not null && identity is not (IdentityPerson or IdentityServiceAccount or IdentityUnidentified))
        {
            throw new InvalidRequestException($"identity '{identity}' is not one of {IdentityPerson}, {IdentityServiceAccount}, {IdentityUnidentified}", "identity");
        }

        var model = await ReadModel.LoadAsync(store, ct);
        if (model.Snapshot is null)
        {
            return Page<MemberView>.Of([], page);
        }

        var resolver = new IdentityResolver(new StaffDirectory(await store.ListPeopleAsync(ct)), await store.ListMappingsAsync(ct));
        var account = filter.Account?.Trim() is { Length: > 0 } a ? a : null;
        var search = filter.Search?.Trim() is { Length: > 0 } s ? s : null;
        var views = model.Snapshot.Members
            .Where(m => account is null || m.AccountId == account || string.Equals(model.AccountName(m.AccountId), account, StringComparison.OrdinalIgnoreCase))
            .OrderBy(m => model.AccountName(m.AccountId) ?? m.AccountId, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.AccountId, StringComparer.Ordinal)
            .ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => View(model, resolver, m, now))
            .Where(v => flag is null || v.Flags.Contains(flag, StringComparer.OrdinalIgnoreCase))
            .Where(v => identity is null || v.Identity == identity)
            .Where(v => search is null || Matches(v, search))
            .ToList();
        return Page<MemberView>.Of(views, page);
    }

    /// <summary>One membership by account and member id; null when the current snapshot has none.</summary>
    public static async Task<MemberView?> GetAsync(IVigilStore store, string accountId, string memberId, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await ReadModel.LoadAsync(store, ct);
        var member = model.Snapshot?.Members.FirstOrDefault(m => m.AccountId == accountId && m.Id == memberId);
        if (member is null)
        {
            return null;
        }

        var resolver = new IdentityResolver(new StaffDirectory(await store.ListPeopleAsync(ct)), await store.ListMappingsAsync(ct));
        return View(model, resolver, member, now);
    }

    private static bool Matches(MemberView view, string search) =>
        view.Email.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (view.Name?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
        || (view.Person?.Email.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false)
        || (view.Person?.Name.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);

    private static MemberView View(ReadModel model, IdentityResolver resolver, AccountMember member, DateTimeOffset now)
    {
        var grants = model.GrantsOf(member);
        var flags = new List<string>(model.FlagsFromChecks(member.AccountId, member.Id));
        if (MembershipFlags.IsSuperAdministrator(grants.Select(g => g.Name)))
        {
            flags.Add(RiskFlags.SuperAdministrator);
        }
        if (MembershipFlags.IsStaleInvite(member, member.FirstSeenAt, now))
        {
            flags.Add(RiskFlags.StaleInvite);
        }

        var resolved = resolver.Resolve(member);
        var person = resolved is MemberIdentity.Identified identified ? identified.Person : null;
        return new MemberView(
            member.Id,
            member.AccountId,
            model.AccountName(member.AccountId) ?? member.AccountId,
            member.Email,
            member.DisplayName,
            member.Status switch
            {
                MembershipStatus.Accepted => "accepted",
                MembershipStatus.Pending => "pending",
                _ => member.StatusText ?? "other",
            },
            member.TwoFactorEnabled,
            [.. member.Roles.Select(r => r.Name)],
            [.. grants.Select(g => new MemberGrantView(g.Name, g.Scope, g.AccountWide, g.ViaGroup))],
            resolved switch
            {
                MemberIdentity.Identified => IdentityPerson,
                MemberIdentity.ServiceAccount => IdentityServiceAccount,
                _ => IdentityUnidentified,
            },
            resolved is MemberIdentity.Identified match ? Text.Of(match.MatchedBy) : null,
            person is null ? null : new MemberPersonView(person.Email, person.Name, Text.Of(person.Status), person.OrgRole, person.OffboardedOn, person.ManagerEmail),
            resolved is MemberIdentity.ServiceAccount service ? service.Justification : null,
            resolved is MemberIdentity.Unidentified unidentified ? unidentified.Reason : null,
            flags.Distinct(StringComparer.Ordinal).ToList(),
            member.FirstSeenAt);
    }
}
