using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

/// <summary>Accounts, members and roles (access review).</summary>
internal sealed class AccountEndpoints(SimulatorState state, Authenticator authenticator)
{
    private static readonly string[] MemberStatuses = ["accepted", "pending", "rejected"];
    private static readonly string[] MemberOrders = ["user.first_name", "user.last_name", "user.email", "status"];

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapSimulatorRoute("/accounts", ListAccountsAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}", GetAccountAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/tokens/verify", VerifyAccountTokenAsync, RouteAuth.AccountTokenVerify);
        routes.MapSimulatorRoute("/accounts/{account_id}/members", ListMembersAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/members/{member_id}", GetMemberAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/roles", ListRolesAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/iam/user_groups", ListUserGroupsAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/iam/user_groups/{user_group_id}/members", ListUserGroupMembersAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/iam/permission_groups", ListPermissionGroupsAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/sso_connectors", ListSsoConnectorsAsync);
        routes.MapSimulatorRoute("/accounts/{account_id}/tokens", ListAccountTokensAsync);
    }

    // Account-owned API tokens: page/per_page (20 by default, 5 to 50), Account API Tokens Read; result_info has
    // count, page, per_page and total_count but no total_pages (Cloudflare's API reference, "List Tokens").
    private Task ListAccountTokensAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountApiTokensRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (!Paging.TryRead(context, 20, 50, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var direction = context.Request.Query["direction"].ToString();
        if (direction.Length > 0 && direction is not ("asc" or "desc"))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("direction must be asc or desc"));
        }

        var now = state.Options.TimeProvider.GetUtcNow();
        IEnumerable<ScenarioAccountToken> ordered = account.AccountTokens;
        if (direction == "desc")
        {
            ordered = ordered.Reverse();
        }

        var (items, info) = page.Slice(ordered.ToArray());
        return Envelope.WriteSuccessAsync(context, [.. items.Select(t => ToDto(t, now))], ApiJsonContext.Default.IReadOnlyListAccountTokenDto,
            new TokenListInfo(info.Count, info.Page, info.PerPage, info.TotalCount), ApiJsonContext.Default.TokenListInfo);
    }

    private static AccountTokenDto ToDto(ScenarioAccountToken token, DateTimeOffset now) => new(
        token.Id,
        token.Name,
        token.ExpiresOn <= now ? "expired" : token.Status,
        Handlers.Utc(token.IssuedOn),
        Handlers.Utc(token.ModifiedOn ?? token.IssuedOn),
        Handlers.Utc(token.NotBefore),
        Handlers.Utc(token.ExpiresOn),
        token.LastUsedDaysAgo is { } days ? Handlers.Utc(now.AddDays(-days)) : Handlers.Utc(token.LastUsedOn),
        token.IpIn.Count == 0 && token.IpNotIn.Count == 0 ? null
            : new TokenConditionDto(new TokenRequestIpDto(token.IpIn.Count == 0 ? null : token.IpIn, token.IpNotIn.Count == 0 ? null : token.IpNotIn)),
        token.CreatorEmail,
        [.. token.Policies.Select(p => new TokenPolicyDto(p.Id, p.Effect, [.. p.PermissionGroups.Select(g => new PermissionGroupDto(g.Id, g.Name))], p.Resources))]);

    // User groups, their members and permission groups: page-style (V4PagePaginationArray in the SDK types), Account
    // Settings Read. SSO connectors: a single page (SDK SinglePage), SSO Connector Read.
    private Task ListUserGroupsAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountSettingsRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (!Paging.TryRead(context, 20, 50, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var (items, info) = page.Slice(account.UserGroups.ToArray());
        return Envelope.WriteSuccessAsync(context, [.. items.Select(g => new UserGroupDto(g.Id, g.Name, account.CreatedOn.UtcDateTime, account.CreatedOn.UtcDateTime,
            [.. g.Policies.Select(ToDto)]))], ApiJsonContext.Default.IReadOnlyListUserGroupDto, info);
    }

    private Task ListUserGroupMembersAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountSettingsRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        var groupId = context.Route("user_group_id");
        if (!Handlers.IsIdentifier(groupId))
        {
            return context.FailAsync(ApiErrors.InvalidIdentifier(context.ApiPath()));
        }

        if (account.UserGroups.FirstOrDefault(g => g.Id == groupId) is not { } group)
        {
            return context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()));
        }

        if (!Paging.TryRead(context, 20, 50, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var members = state.MembersById[account.Id];
        var listed = group.MemberIds.Select(id => members.TryGetValue(id, out var m) ? m : null).OfType<ScenarioMember>().ToArray();
        var (items, info) = page.Slice(listed);
        return Envelope.WriteSuccessAsync(context, [.. items.Select(m => new UserGroupMemberDto(m.Id, m.Email ?? m.User.Email, m.Status))],
            ApiJsonContext.Default.IReadOnlyListUserGroupMemberDto, info);
    }

    private Task ListPermissionGroupsAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountSettingsRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (!Paging.TryRead(context, 20, 50, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var (items, info) = page.Slice(account.PermissionGroups.ToArray());
        return Envelope.WriteSuccessAsync(context, [.. items.Select(g => new PermissionGroupListDto(g.Id, g.Name, new PermissionGroupMetaDto("editable", "false")))],
            ApiJsonContext.Default.IReadOnlyListPermissionGroupListDto, info);
    }

    private Task ListSsoConnectorsAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.SsoConnectorRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        return Envelope.WriteSuccessAsync(context, [.. account.SsoConnectors.Select(c => new SsoConnectorDto(
            c.Id, account.CreatedOn.UtcDateTime, c.EmailDomain, c.Enabled, account.CreatedOn.UtcDateTime, false,
            new SsoVerificationDto($"cloudflare_dashboard_sso={c.Id}", c.VerificationStatus)))], ApiJsonContext.Default.IReadOnlyListSsoConnectorDto);
    }

    private Task ListAccountsAsync(HttpContext context)
    {
        if (!Paging.TryRead(context, 20, 50, out var page, out var failure))
        {
            return context.FailAsync(failure);
        }

        var caller = context.Caller();
        var name = context.Request.Query["name"].ToString();
        var descending = string.Equals(context.Request.Query["direction"], "desc", StringComparison.OrdinalIgnoreCase);
        IEnumerable<ScenarioAccount> visible = state.Accounts.Where(caller.CanSeeAccount);
        if (name.Length > 0)
        {
            visible = visible.Where(a => a.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
        }

        if (descending)
        {
            visible = visible.Reverse();
        }

        // Real quirk: for account-owned tokens every page number answers with page 1 (cloudflare-python#2584).
        if (caller.Kind == PrincipalKind.AccountToken && state.Scenario.Quirks.AccountsIgnorePage)
        {
            page = page with { Page = 1 };
        }

        var (items, info) = page.Slice(visible.ToArray());
        return Envelope.WriteSuccessAsync(context, [.. items.Select(ToDto)], ApiJsonContext.Default.IReadOnlyListAccountDto, info);
    }

    private Task GetAccountAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountSettingsRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        return Envelope.WriteSuccessAsync(context, ToDto(account), ApiJsonContext.Default.AccountDto);
    }

    private Task VerifyAccountTokenAsync(HttpContext context) => VerifyAsync(context, authenticator, context.Caller().Token!);

    internal static Task VerifyAsync(HttpContext context, Authenticator authenticator, ScenarioToken token)
    {
        var status = authenticator.EffectiveStatus(token);
        IReadOnlyList<ApiMessage> messages = status == "active" ? [new ApiMessage(10000, "This API Token is valid and active")] : [];
        var result = new TokenVerifyDto(token.Id, status, Handlers.Utc(token.NotBefore), Handlers.Utc(token.ExpiresOn));
        return Envelope.WriteSuccessAsync(context, result, ApiJsonContext.Default.TokenVerifyDto, messages: messages);
    }

    private Task ListMembersAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountSettingsRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (!Paging.TryRead(context, 20, 50, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var query = context.Request.Query;
        var status = query["status"].ToString();
        var order = query["order"].ToString();
        var direction = query["direction"].ToString();
        if (status.Length > 0 && !MemberStatuses.Contains(status))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("status must be one of accepted, pending, rejected"));
        }

        if (order.Length > 0 && !MemberOrders.Contains(order))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("order must be one of user.first_name, user.last_name, user.email, status"));
        }

        if (direction.Length > 0 && direction is not ("asc" or "desc"))
        {
            return context.FailAsync(ApiErrors.InvalidQuery("direction must be asc or desc"));
        }

        var members = state.Members(account, status.Length > 0 ? status : null, order.Length > 0 ? order : null, direction == "desc");
        var (items, info) = page.Slice(members);
        var roles = state.RolesById[account.Id];
        return Envelope.WriteSuccessAsync(context, [.. items.Select(m => ToDto(m, roles))], ApiJsonContext.Default.IReadOnlyListMemberDto, info);
    }

    private Task GetMemberAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountSettingsRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        var memberId = context.Route("member_id");
        if (!Handlers.IsIdentifier(memberId))
        {
            return context.FailAsync(ApiErrors.InvalidIdentifier(context.ApiPath()));
        }

        if (!state.MembersById[account.Id].TryGetValue(memberId, out var member))
        {
            return context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()));
        }

        return Envelope.WriteSuccessAsync(context, ToDto(member, state.RolesById[account.Id]), ApiJsonContext.Default.MemberDto);
    }

    private Task ListRolesAsync(HttpContext context)
    {
        if (!TryFindAccount(context, PermissionGroups.AccountSettingsRead, out var account, out var failure))
        {
            return context.FailAsync(failure);
        }

        if (!Paging.TryRead(context, 20, 50, out var page, out failure))
        {
            return context.FailAsync(failure);
        }

        var (items, info) = page.Slice(account.Roles.ToArray());
        return Envelope.WriteSuccessAsync(context, [.. items.Select(ToDto)], ApiJsonContext.Default.IReadOnlyListRoleDto, info);
    }

    private bool TryFindAccount(HttpContext context, string permission, out ScenarioAccount account, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ApiFailure? failure) =>
        state.TryFindAccount(context, [permission], out account, out failure);

    private static AccountDto ToDto(ScenarioAccount account) => new(
        account.Id,
        account.Name,
        account.Type,
        Handlers.Utc(account.CreatedOn),
        new AccountSettingsDto(account.Settings.EnforceTwofactor, account.Settings.AbuseContactEmail, "cloudflare.standard", false));

    private static RoleDto ToDto(ScenarioRole role) => new(role.Id, role.Name, role.Description, role.Permissions);

    private static MemberDto ToDto(ScenarioMember member, IReadOnlyDictionary<string, ScenarioRole> roles) => new(
        member.Id,
        member.Email,
        member.Status,
        new MemberUserDto(member.User.Id, member.User.Email, member.User.FirstName, member.User.LastName, member.User.TwoFactorAuthenticationEnabled),
        // Members granted access only through policies come without "roles" (NOTES.md: tolerate both).
        member.Roles.Count == 0 && member.Policies.Count > 0 ? null : [.. member.Roles.Select(id => ToDto(roles[id]))],
        [.. member.Policies.Select(ToDto)]);

    private static PolicyDto ToDto(MemberPolicy p) => new(
        p.Id,
        p.Access,
        [.. p.PermissionGroups.Select(g => new PermissionGroupDto(g.Id, g.Name))],
        [.. p.ResourceGroups.Select(r => new ResourceGroupDto(
            r.Id,
            r.Name,
            [new ScopeDto(r.ScopeKey, [.. r.ScopeObjects.Select(o => new ScopeObjectDto(o))])]))]);
}
