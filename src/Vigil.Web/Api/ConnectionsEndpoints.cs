using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App;
using Vigil.App.Administration;
using Vigil.Cloudflare.Preflight;
using Vigil.Core;
using Vigil.Core.Sync;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>A stored connection. The credential is never part of it: it is write-only.</summary>
internal sealed record ConnectionResponse(
    string Id,
    string Name,
    string Purpose,
    string ApiUrl,
    string? AccountId,
    string CredentialKind,
    string? Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastTestedAt,
    string? LastTestSummary)
{
    public static ConnectionResponse From(Connection c) => new(c.Id, c.Name, PurposeName(c.Purpose), c.ApiUrl, c.AccountId,
        c.Kind switch { Core.Sync.CredentialKind.AccountToken => "account_token", Core.Sync.CredentialKind.GlobalKey => "global_key", _ => "user_token" },
        c.Email, c.CreatedAt, c.LastTestedAt, c.LastTestSummary);

    public static string PurposeName(ConnectionPurpose purpose) => purpose switch
    {
        ConnectionPurpose.Access => "access",
        ConnectionPurpose.Infra => "infra",
        _ => "both",
    };
}

/// <summary>Preflight per permission, as <c>vigil connect</c> prints it.</summary>
internal sealed record PreflightResponse(
    bool CredentialValid,
    bool Ready,
    string Summary,
    IReadOnlyList<string> Accounts,
    IReadOnlyList<ProbeResponse> Probes,
    IReadOnlyList<string> MissingPermissions,
    IReadOnlyList<ProblemResponse> Problems,
    int ApiCalls)
{
    public static PreflightResponse From(PreflightReport report, ConnectionPurpose purpose) => new(
        report.CredentialValid,
        report.IsReady(purpose),
        report.Summary,
        [.. report.Accounts.Select(a => a.Name)],
        [.. report.Probes.Select(p => new ProbeResponse(p.Permission, p.What, p.Outcome.ToString().ToLowerInvariant(), p.Optional, p.Detail))],
        report.MissingPermissions,
        [.. report.Problems.Select(p => new ProblemResponse(p.Code, p.Message, p.Fix))],
        report.ApiCalls);
}

internal sealed record ProbeResponse(string Permission, string What, string Outcome, bool Optional, string? Detail);

internal sealed record ProblemResponse(string Code, string Message, string? Fix);

/// <summary>A connection with the preflight that tested it.</summary>
internal sealed record ConnectionTested(ConnectionResponse? Connection, PreflightResponse Preflight);

/// <summary>POST /api/v1/connections. <c>credential</c> is the API token (or the Global API Key with <c>email</c>); it is stored encrypted and never returned.</summary>
internal sealed record CreateConnectionRequest(
    string? Name,
    string? Credential,
    string? Purpose = null,
    string? ApiUrl = null,
    string? AccountId = null,
    string? Email = null,
    bool AllowInsecureHttp = false);

/// <summary>/api/v1/connections: list, add (credential write-only), test (preflight), remove.</summary>
internal static class ConnectionsEndpoints
{
    public static RouteGroupBuilder MapConnectionsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/connections").WithTags("Connections");
        group.MapGet("", ListAsync).WithName("ListConnections");
        group.MapPost("", CreateAsync).WithName("CreateConnection").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<CreateConnectionRequest>("application/json")
            .Produces<ConnectionTested>(StatusCodes.Status201Created)
            .Produces<ConnectionTested>(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem();
        group.MapPost("/{name}/test", TestAsync).WithName("TestConnection").RequireAuthorization(VigilPolicies.Admin);
        group.MapDelete("/{name}", RemoveAsync).WithName("DeleteConnection").RequireAuthorization(VigilPolicies.Admin);
        return api;
    }

    private static async Task<Ok<ApiPage<ConnectionResponse>>> ListAsync(HttpContext http, CancellationToken ct)
    {
        var connections = (await ApiRequest.Store(http).ListAsync(ct)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(ConnectionResponse.From).ToList();
        return TypedResults.Ok(new ApiPage<ConnectionResponse>(connections, connections.Count, null));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<CreateConnectionRequest>(http, ct);
        if (string.IsNullOrEmpty(body.Credential))
        {
            return ApiErrors.Validation("credential", "credential is required: the Cloudflare API token (or Global API Key with email)");
        }

        var purpose = body.Purpose?.Trim().ToLowerInvariant() switch
        {
            null or "" or "both" => ConnectionPurpose.Both,
            "access" => ConnectionPurpose.Access,
            "infra" => ConnectionPurpose.Infra,
            _ => throw new InvalidRequestException("purpose must be access, infra or both", "purpose"),
        };
        await using var services = ApiStore.Services(http);
        var outcome = await ConnectionOperations.ConnectAsync(services,
            new ConnectRequest(body.Name ?? "cloudflare", purpose, body.ApiUrl, body.AccountId, new Secret(body.Credential), body.Email, body.AllowInsecureHttp), ct);
        var result = new ConnectionTested(outcome.Connection is { } c ? ConnectionResponse.From(c) : null, PreflightResponse.From(outcome.Report, purpose));
        return outcome.Connection is null
            ? TypedResults.UnprocessableEntity(result)
            : TypedResults.Created($"/api/v1/connections/{Uri.EscapeDataString(outcome.Connection.Name)}", result);
    }

    private static async Task<Results<Ok<ConnectionTested>, ProblemHttpResult>> TestAsync(string name, HttpContext http, CancellationToken ct)
    {
        await using var services = ApiStore.Services(http);
        var tested = await ConnectionOperations.TestAsync(services, name, ct);
        return tested is { } t
            ? TypedResults.Ok(new ConnectionTested(ConnectionResponse.From(t.Connection), PreflightResponse.From(t.Report, t.Connection.Purpose)))
            : NotFound(name);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string name, HttpContext http, CancellationToken ct) =>
        await ConnectionOperations.RemoveAsync(ApiRequest.Store(http), name, ct) != ConnectionRemoval.None ? TypedResults.NoContent() : NotFound(name);

    private static ProblemHttpResult NotFound(string name) =>
        TypedResults.Problem(detail: $"no connection named '{name}'", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
