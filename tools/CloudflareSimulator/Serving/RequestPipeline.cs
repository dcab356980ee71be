using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Vigil.Simulation;

/// <summary>
/// Everything around the handlers, in the order Cloudflare's edge applies it: stats, latency, injected faults,
/// per-address and per-credential rate limits (with their headers on every answer), routing, then authentication.
/// </summary>
internal sealed class RequestPipeline
{
    private const string ApiPrefix = "/client/v4";
    private readonly SimulatorState _state;
    private readonly SimulatorStats _stats;
    private readonly FaultInjector _faults;
    private readonly Authenticator _authenticator;
    private readonly CredentialRateLimiter? _credentialLimiter;
    private readonly AddressRateLimiter? _addressLimiter;

    public RequestPipeline(SimulatorState state, SimulatorStats stats, FaultInjector faults)
    {
        _state = state;
        _stats = stats;
        _faults = faults;
        var options = state.Options;
        _authenticator = new Authenticator(state, options.TimeProvider);
        _credentialLimiter = options.RateLimitRequests > 0
            ? new CredentialRateLimiter(options.RateLimitRequests, options.RateLimitWindow, options.TimeProvider)
            : null;
        _addressLimiter = options.PerIpRequestsPerSecond > 0
            ? new AddressRateLimiter(options.PerIpRequestsPerSecond, options.TimeProvider)
            : null;
    }

    public Authenticator Authenticator => _authenticator;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (_state.Options.ControlApi && context.Request.Path.StartsWithSegments(ControlEndpoints.Prefix))
        {
            // The test-only control API: not Cloudflare, so no credentials, rate limits or request counts.
            await next(context).ConfigureAwait(false);
            return;
        }
        var route = context.GetEndpoint()?.Metadata.GetMetadata<SimRoute>();
        var method = context.Request.Method;
        _stats.CountRequest($"{method} {route?.Template ?? "(unrouted)"}");

        if (_state.Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(_state.Options.Latency, context.RequestAborted).ConfigureAwait(false);
        }

        var path = context.Request.Path.StartsWithSegments(ApiPrefix, out var rest) ? rest.Value ?? "/" : context.Request.Path.Value ?? "/";
        _stats.LogRequest(method, path);
        var fault = _faults.Match(method, path);
        switch (fault?.Kind)
        {
            case FaultKind.Slow:
                await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                break;
            case FaultKind.ServerError:
                await WriteServerErrorAsync(context, fault.StatusCode).ConfigureAwait(false);
                return;
            case FaultKind.RateLimited:
                _stats.CountRateLimited();
                context.Response.Headers.RetryAfter = SecondsText(fault.RetryAfter);
                await Envelope.WriteFailureAsync(context, ApiErrors.RateLimited(_state.Scenario.Quirks.RateLimitErrorCode)).ConfigureAwait(false);
                return;
            case FaultKind.MalformedJson or FaultKind.DropConnection:
                await ServeDamagedAsync(context, route, next, fault.Kind).ConfigureAwait(false);
                return;
        }

        await ServeAsync(context, route, next).ConfigureAwait(false);
    }

    private async Task ServeAsync(HttpContext context, SimRoute? route, RequestDelegate next)
    {
        if (_addressLimiter is not null && !_addressLimiter.TryCount(Authenticator.Address(context)))
        {
            _stats.CountRateLimited();
            context.Response.Headers.RetryAfter = "1";
            await Envelope.WriteFailureAsync(context, ApiErrors.RateLimited(_state.Scenario.Quirks.RateLimitErrorCode)).ConfigureAwait(false);
            return;
        }

        var credential = Authenticator.ReadCredential(context);
        if (_credentialLimiter is not null)
        {
            var decision = _credentialLimiter.Count(_state.RateKeyOf(credential));
            var headers = context.Response.Headers;
            headers["Ratelimit"] = $"\"default\";r={decision.Remaining};t={decision.ResetSeconds}";
            headers["Ratelimit-Policy"] = $"\"default\";q={_credentialLimiter.Limit};w={_credentialLimiter.WindowSeconds}";
            if (!decision.Allowed)
            {
                _stats.CountRateLimited();
                headers.RetryAfter = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
                await Envelope.WriteFailureAsync(context, ApiErrors.RateLimited(_state.Scenario.Quirks.RateLimitErrorCode)).ConfigureAwait(false);
                return;
            }
            _stats.CountCredentialRequest(_state.Options.TimeProvider.GetUtcNow());
        }

        if (route is null)
        {
            await Envelope.WriteFailureAsync(context, ApiErrors.NoRoute).ConfigureAwait(false);
            return;
        }

        var failure = _authenticator.Authenticate(context, route, credential, out var principal);
        if (failure is not null)
        {
            await Envelope.WriteFailureAsync(context, failure).ConfigureAwait(false);
            return;
        }

        context.Features.Set(principal);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await Envelope.WriteFailureAsync(context, ApiErrors.InternalError).ConfigureAwait(false);
        }
    }

    /// <summary>Produces the real answer into memory, then sends half of it: as a 200 (malformed JSON) or before aborting.</summary>
    private async Task ServeDamagedAsync(HttpContext context, SimRoute? route, RequestDelegate next, FaultKind kind)
    {
        var realBody = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await ServeAsync(context, route, next).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = realBody;
        }

        var bytes = buffer.ToArray();
        var half = Math.Max(1, bytes.Length / 2);
        if (kind == FaultKind.MalformedJson)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = half;
            await realBody.WriteAsync(bytes.AsMemory(0, half), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.ContentLength = bytes.Length;
        await realBody.WriteAsync(bytes.AsMemory(0, half), context.RequestAborted).ConfigureAwait(false);
        await realBody.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Abort();
    }

    private static async Task WriteServerErrorAsync(HttpContext context, int status)
    {
        if (status == StatusCodes.Status500InternalServerError)
        {
            await Envelope.WriteFailureAsync(context, ApiErrors.InternalError).ConfigureAwait(false);
            return;
        }

        // Cloudflare's edge answers 502/503/504 with an HTML page, not the API envelope.
        var title = status switch
        {
            502 => "502 Bad Gateway",
            503 => "503 Service Temporarily Unavailable",
            504 => "504 Gateway Time-out",
            _ => $"{status} Error",
        };
        var body = Encoding.UTF8.GetBytes(
            $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n");
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static string SecondsText(TimeSpan span) =>
        Math.Max(1, (int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
