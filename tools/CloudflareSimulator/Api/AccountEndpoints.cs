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
        routes.MapSimulatorWrite("DELETE", "/accounts/{account_id}/members/{member_id}", RemoveMemberAsync);
        routes.MapSimulatorWrite("PUT", "/accounts/{account_id}/members/{member_id}", UpdateMemberAsync);
    }

    // Member writes (not in openapi-subset.json; shapes from Cloudflare's API reference "Remove Member" and "Update
    // Member" and the SDK types MemberDeleteResponse { id } and Member). Both need SCIM Provisioning or Account Settings
    // Write: a read token is refused 403 / 10000 before the member is even looked up, as for every other permission.
    private static readonly string[] MemberWriteGroups = [PermissionGroups.AccountSettingsWrite, PermissionGroups.ScimProvisioning];

    private Task RemoveMemberAsync(HttpContext context)
    {
        if (!state.TryFindAccount(context, MemberWriteGroups, out var account, out var failure) || !TryMemberId(context, out var memberId, out failure))
        {
            return context.FailAsync(failure);
        }

        // Through the one logged change method, as the dashboard's removal would be: the audit log names who removed it.
        try
        {
            state.RemoveMemberLogged(account.Id, memberId, log: true, actor: context.Caller().User?.Email);
        }
        catch (KeyNotFoundException)
        {
            return context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()));
        }
        return Envelope.WriteSuccessAsync(context, new MemberIdDto(memberId), ApiJsonContext.Default.MemberIdDto);
    }

    // Body: {"roles": [{"id": ...}, ...]} (IAMUpdateMemberWithRoles) or {"policies": [{"access", "permission_groups":
    // [{"id"}], "resource_groups": [{"id"}]}]} (IAMUpdateMemberWithPolicies). Unknown ids answer 400 / 1004.
    private async Task UpdateMemberAsync(HttpContext context)
    {
        if (!state.TryFindAccount(context, MemberWriteGroups, out var account, out var failure) || !TryMemberId(context, out var memberId, out failure))
        {
            await context.FailAsync(failure);
            return;
        }

        if (!state.MembersById[account.Id].ContainsKey(memberId))
        {
            await context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()));
            return;
        }

        System.Text.Json.JsonDocument body;
        try
        {
            body = await System.Text.Json.JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            await context.FailAsync(ApiErrors.InvalidQuery("the request body is not valid JSON"));
            return;
        }

        using (body)
        {
            var (roles, policies, problem) = ReadMemberAccess(account, body.RootElement);
            if (problem is not null)
            {
                await context.FailAsync(ApiErrors.InvalidQuery(problem));
                return;
            }

            ScenarioMember? updated = null;
            state.Change(() =>
            {
                updated = state.ReplaceMemberAccess(account.Id, memberId, roles, policies);
                return new SimulatorState.LoggedChange(account.Id, "PUT", $"/accounts/{account.Id}/members/{memberId}", "update", "account.member", memberId);
            }, log: true, actor: context.Caller().User?.Email);
            await (updated is null
                ? context.FailAsync(ApiErrors.UnknownObject(context.ApiPath()))
                : Envelope.WriteSuccessAsync(context, ToDto(updated, state.RolesById[account.Id]), ApiJsonContext.Default.MemberDto));
        }
    }

    private static bool TryMemberId(HttpContext context, out string memberId, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ApiFailure? failure)
    {
        memberId = context.Route("member_id");
        failure = Handlers.IsIdentifier(memberId) ? null : ApiErrors.InvalidIdentifier(context.ApiPath());
        return failure is null;
    }

    private (List<string>? Roles, List<MemberPolicy>? Policies, string? Problem) ReadMemberAccess(ScenarioAccount account, System.Text.Json.JsonElement body)
    {
        if (body.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return (null, null, "the request body must be a JSON object with roles or policies");
        }

        var hasRoles = body.TryGetProperty("roles", out var rolesJson);
        var hasPolicies = body.TryGetProperty("policies", out var policiesJson);
        if (hasRoles == hasPolicies)
        {
            return (null, null, "give either roles or policies");
        }

        if (hasRoles)
        {
            if (rolesJson.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return (null, null, "roles must be an array of roles");
            }

            var roles = new List<string>();
            foreach (var role in rolesJson.EnumerateArray())
            {
                var id = role.ValueKind == System.Text.Json.JsonValueKind.Object && role.TryGetProperty("id", out var idJson) && idJson.ValueKind == System.Text.Json.JsonValueKind.String
                    ? idJson.GetString()!
                    : null;
                if (id is null || !state.RolesById[account.Id].ContainsKey(id))
                {
                    return (null, null, $"role {id ?? "(no id)"} is not a role of account {account.Id}");
                }

                roles.Add(id);
            }

            return (roles, null, null);
        }

        if (policiesJson.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return (null, null, "policies must be an array of policies");
        }

        var knownResourceGroups = account.Members.SelectMany(m => m.Policies).SelectMany(p => p.ResourceGroups)
            .Concat(account.UserGroups.SelectMany(g => g.Policies).SelectMany(p => p.ResourceGroups))
            .GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var policies = new List<MemberPolicy>();
        var n = 0;
        foreach (var policy in policiesJson.EnumerateArray())
        {
            n++;
            var access = policy.ValueKind == System.Text.Json.JsonValueKind.Object && policy.TryGetProperty("access", out var a) && a.ValueKind == System.Text.Json.JsonValueKind.String ? a.GetString() : null;
            if (access is not ("allow" or "deny"))
            {
                return (null, null, "a policy's access must be allow or deny");
            }

            if (!policy.TryGetProperty("permission_groups", out var gs) || gs.ValueKind != System.Text.Json.JsonValueKind.Array
                || !policy.TryGetProperty("resource_groups", out var rs) || rs.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return (null, null, "a policy needs permission_groups and resource_groups");
            }

            var groups = new List<PolicyPermissionGroup>();
            foreach (var g in gs.EnumerateArray())
            {
                var id = g.ValueKind == System.Text.Json.JsonValueKind.Object && g.TryGetProperty("id", out var gid) && gid.ValueKind == System.Text.Json.JsonValueKind.String ? gid.GetString() : null;
                if (account.PermissionGroups.FirstOrDefault(p => p.Id == id) is not { } known)
                {
                    return (null, null, $"permission group {id ?? "(no id)"} is not a permission group of account {account.Id}");
                }

                groups.Add(new PolicyPermissionGroup { Id = known.Id, Name = known.Name });
            }

            var resources = new List<PolicyResourceGroup>();
            foreach (var r in rs.EnumerateArray())
            {
                var id = r.ValueKind == System.Text.Json.JsonValueKind.Object && r.TryGetProperty("id", out var rid) && rid.ValueKind == System.Text.Json.JsonValueKind.String ? rid.GetString() : null;
                if (id is null || !knownResourceGroups.TryGetValue(id, out var known))
                {
                    return (null, null, $"resource group {id ?? "(no id)"} is not a resource group of account {account.Id}");
                }

                resources.Add(known);
            }

            if (groups.Count == 0 || resources.Count == 0)
            {
                return (null, null, "a policy needs permission_groups and resource_groups");
            }

            policies.Add(new MemberPolicy { Id = $"{n:x32}", Access = access, PermissionGroups = groups, ResourceGroups = resources });
        }

        return (null, policies, null);
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
