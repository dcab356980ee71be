using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App.Administration;
using Vigil.Core.Inventory;
using Vigil.Core.Systems;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>PUT /api/v1/settings/{key}.</summary>
internal sealed record SetSettingRequest(string? Value);

/// <summary>PUT /api/v1/systems/cloudflare: org roles allowed on the system (added to those already allowed) and its owner.</summary>
internal sealed record SaveSystemRequest(IReadOnlyList<string>? OrgRoles = null, string? Owner = null);

/// <summary>PUT /api/v1/systems/cloudflare/roles/{org_role}: the Cloudflare roles the org role may hold (empty: any; NAME@account: account-wide only).</summary>
internal sealed record AllowRoleRequest(IReadOnlyList<string>? CloudflareRoles = null);

/// <summary>A critical system and who may access it.</summary>
internal sealed record SystemResponse(string Name, string? Owner, DateTimeOffset RegisteredAt, IReadOnlyList<AllowedRoleResponse> AllowedRoles)
{
    public static SystemResponse From(CriticalSystem s) => new(s.Name, s.Owner, s.RegisteredAt,
        [.. s.AllowedRoles.OrderBy(r => r.OrgRole, StringComparer.OrdinalIgnoreCase).Select(r => new AllowedRoleResponse(r.OrgRole, r.SystemRoles))]);
}

/// <param name="CloudflareRoles">Empty: any Cloudflare role.</param>
internal sealed record AllowedRoleResponse(string OrgRole, IReadOnlyList<string> CloudflareRoles);

/// <summary>PUT /api/v1/accounts/{account}/sso.</summary>
internal sealed record DeclareSsoRequest(IReadOnlyList<string>? Domains, string? Evidence);

/// <summary>An account with its dashboard-SSO declaration and the connectors Cloudflare shows.</summary>
internal sealed record AccountResponse(string Id, string Name, bool? EnforceTwoFactor, SsoDeclarationResponse? Sso, IReadOnlyList<SsoConnector>? SsoConnectors);

internal sealed record SsoDeclarationResponse(string AccountId, IReadOnlyList<string> Domains, string Evidence, DateTimeOffset DeclaredAt)
{
    public static SsoDeclarationResponse From(SsoDeclaration d) => new(d.AccountId, d.Domains, d.Evidence, d.DeclaredAt);
}

/// <summary>/api/v1/settings, /api/v1/systems (critical systems and allowed roles), /api/v1/accounts (SSO declarations).</summary>
internal static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettingsEndpoints(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings").WithTags("Settings");
        settings.MapGet("", ListSettingsAsync).WithName("ListSettings");
        settings.MapPut("/{key}", SetSettingAsync).WithName("SetSetting").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<SetSettingRequest>("application/json").ProducesValidationProblem();

        var systems = api.MapGroup("/systems").WithTags("Systems");
        systems.MapGet("", ListSystemsAsync).WithName("ListSystems");
        systems.MapPut("/{system}", SaveSystemAsync).WithName("SaveSystem").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<SaveSystemRequest>("application/json").ProducesValidationProblem();
        systems.MapPut("/{system}/roles/{orgRole}", AllowRoleAsync).WithName("AllowSystemRole").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<AllowRoleRequest>("application/json").ProducesValidationProblem();

        var accounts = api.MapGroup("/accounts").WithTags("Accounts");
        accounts.MapGet("", ListAccountsAsync).WithName("ListAccounts");
        accounts.MapPut("/{account}/sso", DeclareSsoAsync).WithName("DeclareSso").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<DeclareSsoRequest>("application/json").ProducesValidationProblem();
        accounts.MapDelete("/{account}/sso", ClearSsoAsync).WithName("ClearSso").RequireAuthorization(VigilPolicies.Admin);
        return api;
    }

    private static async Task<Ok<ApiPage<SettingView>>> ListSettingsAsync(HttpContext http, CancellationToken ct)
    {
        var list = await SettingsOperations.ListAsync(ApiRequest.Store(http), ct);
        return TypedResults.Ok(new ApiPage<SettingView>(list, list.Count, null));
    }

    private static async Task<Ok<SettingView>> SetSettingAsync(string key, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<SetSettingRequest>(http, ct);
        return TypedResults.Ok(await SettingsOperations.SetAsync(ApiRequest.Store(http), key, body.Value ?? throw new App.InvalidRequestException("value is required", "value"), ct));
    }

    private static async Task<Ok<ApiPage<SystemResponse>>> ListSystemsAsync(HttpContext http, CancellationToken ct)
    {
        var system = await ApiRequest.Store(http).FindSystemAsync(CriticalSystem.CloudflareName, ct);
        IReadOnlyList<SystemResponse> items = system is null ? [] : [SystemResponse.From(system)];
        return TypedResults.Ok(new ApiPage<SystemResponse>(items, items.Count, null));
    }

    private static async Task<Ok<SystemResponse>> SaveSystemAsync(string system, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<SaveSystemRequest>(http, ct);
        return TypedResults.Ok(SystemResponse.From(await DirectoryOperations.SaveSystemAsync(ApiRequest.Store(http), system, body.OrgRoles ?? [], body.Owner, ApiRequest.Time(http), ct)));
    }

    private static async Task<Ok<SystemResponse>> AllowRoleAsync(string system, string orgRole, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<AllowRoleRequest>(http, ct);
        return TypedResults.Ok(SystemResponse.From(await DirectoryOperations.AllowRoleAsync(ApiRequest.Store(http), system, orgRole, body.CloudflareRoles ?? [], ct)));
    }

    private static async Task<Ok<ApiPage<AccountResponse>>> ListAccountsAsync(HttpContext http, CancellationToken ct)
    {
        // Declarations made before their account was synced are listed under the id or name they were given.
        var items = (await DirectoryOperations.ListAccountsAsync(ApiRequest.Store(http), ct))
            .Select(a => new AccountResponse(a.Id, a.Name, a.EnforceTwoFactor, a.Sso is { } d ? SsoDeclarationResponse.From(d) : null, a.SsoConnectors)).ToList();
        return TypedResults.Ok(new ApiPage<AccountResponse>(items, items.Count, null));
    }

    private static async Task<Ok<SsoDeclarationResponse>> DeclareSsoAsync(string account, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<DeclareSsoRequest>(http, ct);
        return TypedResults.Ok(SsoDeclarationResponse.From(
            (await DirectoryOperations.DeclareSsoAsync(ApiRequest.Store(http), account, body.Domains ?? [], body.Evidence ?? "", ApiRequest.Time(http), ct)).Declaration!));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ClearSsoAsync(string account, HttpContext http, CancellationToken ct) =>
        (await DirectoryOperations.ClearSsoAsync(ApiRequest.Store(http), account, ct)).Removed
            ? TypedResults.NoContent()
            : TypedResults.Problem(detail: $"account '{account}' has no SSO declaration", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
