using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App;
using Vigil.App.Administration;
using Vigil.App.Queries;
using Vigil.Core.People;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>One manual identity decision.</summary>
/// <param name="PersonEmail">The staff-directory person the member is; null for a service account.</param>
/// <param name="ServiceAccount">The service-account justification; null for a person.</param>
internal sealed record MappingResponse(string MemberEmail, string? PersonEmail, string? ServiceAccount, DateTimeOffset CreatedAt)
{
    public static MappingResponse From(IdentityMapping m) => new(m.MemberEmail, m.PersonEmail, m.ServiceAccountJustification, m.CreatedAt);
}

/// <summary>PUT /api/v1/mappings/{member_email}: exactly one of <c>person_email</c> (map to a person) and <c>service_account</c> (the justification).</summary>
internal sealed record SaveMappingRequest(string? PersonEmail = null, string? ServiceAccount = null);

/// <summary>/api/v1/members (every membership with person, roles, 2FA, flags) and /api/v1/mappings (map, mark service account, clear).</summary>
internal static class MembersEndpoints
{
    public static RouteGroupBuilder MapMembersEndpoints(this RouteGroupBuilder api)
    {
        var members = api.MapGroup("/members").WithTags("Members");
        members.MapGet("", ListAsync).WithName("ListMembers").ProducesValidationProblem();
        members.MapGet("/{accountId}/{memberId}", GetAsync).WithName("GetMember");

        var mappings = api.MapGroup("/mappings").WithTags("Members");
        mappings.MapGet("", ListMappingsAsync).WithName("ListMappings").ProducesValidationProblem();
        mappings.MapPut("/{memberEmail}", SaveMappingAsync).WithName("SaveMapping").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<SaveMappingRequest>("application/json").ProducesValidationProblem();
        mappings.MapDelete("/{memberEmail}", ClearMappingAsync).WithName("ClearMapping").RequireAuthorization(VigilPolicies.Admin);
        return api;
    }

    /// <param name="flag">unidentified, offboarded, role_beyond_limit, no_2fa, super_administrator, pending_invite_over_30_days.</param>
    /// <param name="identity">person, service_account or unidentified.</param>
    private static async Task<Ok<ApiPage<MemberView>>> ListAsync(
        HttpContext http, string? account, string? flag, string? identity, string? search, int? limit, string? cursor, CancellationToken ct) =>
        TypedResults.Ok(ApiPage<MemberView>.From(await MembersQuery.ListAsync(ApiRequest.Store(http), new MemberFilter(account, flag, identity, search),
            PageRequest.From(limit, cursor), ApiRequest.Time(http).GetUtcNow(), ct)));

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> GetAsync(string accountId, string memberId, HttpContext http, CancellationToken ct) =>
        await MembersQuery.GetAsync(ApiRequest.Store(http), accountId, memberId, ApiRequest.Time(http).GetUtcNow(), ct) is { } member
            ? TypedResults.Ok(member)
            : TypedResults.Problem(detail: $"no member '{memberId}' in account '{accountId}' in the current snapshot", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static async Task<Ok<ApiPage<MappingResponse>>> ListMappingsAsync(HttpContext http, int? limit, string? cursor, CancellationToken ct)
    {
        var page = PageRequest.From(limit, cursor);
        var mappings = (await ApiRequest.Store(http).ListMappingsAsync(ct))
            .OrderBy(m => m.MemberEmail, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.CreatedAt).Select(MappingResponse.From).ToList();
        return TypedResults.Ok(ApiPage<MappingResponse>.From(Page<MappingResponse>.Of(mappings, page)));
    }

    private static async Task<Ok<MappingResponse>> SaveMappingAsync(string memberEmail, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<SaveMappingRequest>(http, ct);
        var store = ApiRequest.Store(http);
        var time = ApiRequest.Time(http);
        var mapping = (body.PersonEmail, body.ServiceAccount) switch
        {
            ({ } person, null) => await DirectoryOperations.MapToPersonAsync(store, memberEmail, person, time, ct),
            (null, { } why) => await DirectoryOperations.MarkServiceAccountAsync(store, memberEmail, why, time, ct),
            _ => throw new InvalidRequestException("give exactly one of person_email and service_account", "person_email"),
        };
        return TypedResults.Ok(MappingResponse.From(mapping));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ClearMappingAsync(string memberEmail, HttpContext http, CancellationToken ct) =>
        await DirectoryOperations.ClearMappingAsync(ApiRequest.Store(http), memberEmail, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(detail: $"{memberEmail} has no manual mapping", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
