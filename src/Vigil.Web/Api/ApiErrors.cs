using Microsoft.AspNetCore.Http;
using Vigil.App;
using Vigil.App.Reviews;
using Vigil.Core.Sync;

namespace Vigil.Web.Api;

/// <summary>
/// Errors as RFC 9457 problem details (application/problem+json): a request that names a bad field answers 400 with
/// <c>errors</c> keyed by that field; an unknown resource 404; a state that refuses the request (a sync running, a
/// review rule) 409; a refused bulk file 422 with its errors by line.
/// </summary>
internal static class ApiErrors
{
    public static IResult Validation(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: message, title: "The request has an invalid field");

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the current state");

    public static IResult Forbidden(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    /// <summary>Turns the operations' errors into problems; anything else is left to the host (a 500 without details).</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (InvalidRequestException e)
        {
            return Validation(e.Field ?? "request", e.Message);
        }
        catch (UnknownReferenceException e)
        {
            return Validation(e.Field, e.Message);
        }
        catch (CampaignNotFoundException e)
        {
            return NotFound(e.Message);
        }
        catch (BulkDecisionsRejectedException e)
        {
            return TypedResults.Problem(detail: e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The file was refused",
                extensions: new Dictionary<string, object?> { ["errors"] = e.Errors });
        }
        catch (SyncAlreadyRunningException e)
        {
            return Conflict(e.Message);
        }
        catch (OperationException e)
        {
            return Conflict(e.Message);
        }
        catch (BadHttpRequestException e)
        {
            return Validation("body", e.Message);
        }
        catch (System.Text.Json.JsonException e)
        {
            return Validation(e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", "the body is not valid JSON for this request");
        }
    }
}
