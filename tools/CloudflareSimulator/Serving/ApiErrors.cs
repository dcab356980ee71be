using System.Text.Json.Serialization;

namespace Vigil.Simulation;

internal sealed record ApiMessage(int Code, string Message)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ApiMessage>? ErrorChain { get; init; }
}

/// <summary>A failed answer: HTTP status plus the envelope's errors.</summary>
internal sealed record ApiFailure(int Status, IReadOnlyList<ApiMessage> Errors)
{
    public ApiFailure(int status, int code, string message)
        : this(status, [new ApiMessage(code, message)])
    {
    }
}

/// <summary>The error answers the simulator gives; README.md explains each choice and its source.</summary>
internal static class ApiErrors
{
    public static ApiFailure NoRoute { get; } = new(404, 7000, "No route for that URI");

    public static ApiFailure InvalidIdentifier(string path) => new(400,
    [
        new ApiMessage(7003, $"Could not route to {path}, perhaps your object identifier is invalid?"),
        new ApiMessage(7000, "No route for that URI"),
    ]);

    public static ApiFailure UnknownObject(string path) =>
        new(404, 7003, $"Could not route to {path}, perhaps your object identifier is invalid?");

    public static ApiFailure MalformedAuthorization { get; } = new(400,
    [
        new ApiMessage(6003, "Invalid request headers")
        {
            ErrorChain = [new ApiMessage(6111, "Invalid format for Authorization header")],
        },
    ]);

    public static ApiFailure MissingCredentials { get; } = new(400,
    [
        new ApiMessage(9106, "Missing X-Auth-Email header"),
        new ApiMessage(9107, "Missing X-Auth-Key header"),
    ]);

    public static ApiFailure MissingAuthKey { get; } = new(400, 9107, "Missing X-Auth-Key header");

    public static ApiFailure MissingAuthEmail { get; } = new(400, 9106, "Missing X-Auth-Email header");

    public static ApiFailure UnknownGlobalKey { get; } = new(403, 9103, "Unknown X-Auth-Key or X-Auth-Email");

    public static ApiFailure MissingAuthorizationHeader { get; } = new(400, 1001, "Missing \"Authorization\" header");

    public static ApiFailure InvalidApiToken { get; } = new(401, 1000, "Invalid API Token");

    public static ApiFailure InvalidAccessToken { get; } = new(403, 9109, "Invalid access token");

    public static ApiFailure Unauthorized { get; } = new(403, 9109, "Unauthorized to access requested resource");

    public static ApiFailure LocationDenied(string ip) => new(403, 9109, $"Cannot use the access token from location: {ip}");

    public static ApiFailure AuthenticationError { get; } = new(403, 10000, "Authentication error");

    public static ApiFailure RateLimited(int code) => new(429, code, code == 10100
        ? "More than 1200 requests per 300 seconds reached. Please wait and consider throttling your request speed"
        : "Please wait and consider throttling your request speed");

    public static ApiFailure InvalidQuery(string message) => new(400, 1004, message);

    public static ApiFailure NoEntrypoint(string phase) =>
        new(404, 10003, $"could not find entrypoint ruleset in the {phase} phase");

    /// <summary>Answers of the batch settings route after its end of life (quirk batch_settings_answer); Cloudflare documents none.</summary>
    public static ApiFailure? BatchSettingsEnded(string answer, string path) => answer switch
    {
        "404" => UnknownObject(path),
        "400" => InvalidIdentifier(path),
        "403" => AuthenticationError,
        "405" => new(405, 7001, "Method not allowed"),
        "410" => new(410, 7000, "This endpoint has been removed"),
        "200" => new(200, 7000, "No route for that URI"),
        _ => null,
    };

    public static ApiFailure InternalError { get; } = new(500, 10001, "An unknown error has occurred. Please try again later.");
}
