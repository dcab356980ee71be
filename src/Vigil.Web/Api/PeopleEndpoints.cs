using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App;
using Vigil.App.Administration;
using Vigil.App.Queries;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>/api/v1/people: the staff directory (list, search) and its import from a CSV or SCIM file upload.</summary>
internal static class PeopleEndpoints
{
    /// <summary>Largest staff file accepted (bytes).</summary>
    public const long MaxUpload = 20 * 1024 * 1024;

    public static RouteGroupBuilder MapPeopleEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/people").WithTags("People");
        group.MapGet("", ListAsync).WithName("ListPeople").ProducesValidationProblem();
        group.MapPost("/import", ImportAsync).WithName("ImportPeople").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<StaffImportOutcome>()
            .Produces<StaffImportOutcome>(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem()
            .DisableAntiforgery();
        return api;
    }

    private static async Task<Ok<ApiPage<PersonView>>> ListAsync(HttpContext http, string? search, int? limit, string? cursor, CancellationToken ct) =>
        TypedResults.Ok(ApiPage<PersonView>.From(await PeopleQuery.ListAsync(ApiRequest.Store(http), search, PageRequest.From(limit, cursor), ct)));

    /// <summary>
    /// multipart/form-data with the file in <c>file</c>; <c>format</c> csv or scim (default: scim for a .json file name,
    /// else csv); <c>skip_invalid</c> true stores the valid rows of a file with errors (else nothing is stored).
    /// </summary>
    private static async Task<IResult> ImportAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
        {
            return ApiErrors.Validation("file", "upload the file as multipart/form-data in the field 'file'");
        }

        var form = await http.Request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return ApiErrors.Validation("file", "upload the file as multipart/form-data in the field 'file'");
        }
        if (file.Length > MaxUpload)
        {
            return ApiErrors.Validation("file", $"the file is larger than {MaxUpload / (1024 * 1024)} MB");
        }

        var scim = DirectoryOperations.IsScim(form["format"].ToString(), file.FileName);
        var skipInvalid = form["skip_invalid"].ToString().Trim().ToLowerInvariant() is "true" or "1" or "yes";
        using var reader = new StreamReader(file.OpenReadStream());
        var name = Path.GetFileName(file.FileName) is { Length: > 0 } n ? n : "upload";
        var outcome = await DirectoryOperations.ImportStaffAsync(ApiRequest.Store(http), reader, name, scim, skipInvalid, ct);
        return outcome.Stored ? TypedResults.Ok(outcome) : TypedResults.UnprocessableEntity(outcome);
    }
}
