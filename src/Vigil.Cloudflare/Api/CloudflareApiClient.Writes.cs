using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vigil.Cloudflare.Pacing;

namespace Vigil.Cloudflare.Api;

/// <summary>The answer to one write, whatever it was; <see cref="Status"/> 0 when no answer arrived.</summary>
internal sealed record WriteAnswer(int Status, IReadOnlyList<CloudflareError> Errors, string? Body, TimeSpan? RetryAfter, string? Detail);

public sealed partial class CloudflareApiClient
{
    /// <summary>
    /// Sends one write (DELETE, PUT) exactly once. Unlike reads, nothing is retried: not a 429 (the answer says when to
    /// try again; the caller records it and a person decides), not a 5xx, not a timeout or a dropped connection (the
    /// change may have been made; the next read shows whether it was). The request still waits its turn in the budget.
    /// </summary>
    internal async Task<WriteAnswer> SendWriteOnceAsync(ApiSession session, HttpMethod method, string path, string? jsonBody, CancellationToken ct)
    {
        var request = $"{method.Method} {path}";
        var uri = session.Resolve(path);
        var waited = await _budget.AcquireAsync(ct).ConfigureAwait(false);
        session.Usage.RecordCall(waited);
        var completed = false;
        void MarkCompleted()
        {
            if (!completed)
            {
                completed = true;
                _budget.Complete();
            }
        }

        try
        {
            using var message = new HttpRequestMessage(method, uri);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            session.Credential.Apply(message.Headers);
            if (jsonBody is not null)
            {
                message.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
            }

            using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            MarkCompleted();
            var now = _time.GetUtcNow();
            if (RateLimitHeaders.ReadQuota(response.Headers, now) is { } quota)
            {
                _budget.ObserveServerQuota(quota.Remaining, quota.ResetAfter);
            }

            if (status is >= 300 and < 400)
            {
                return new WriteAnswer(status, [], null, null, Redirect(response.Headers.Location, uri));
            }

            TimeSpan? retryAfter = null;
            if (status == 429)
            {
                session.Usage.RecordRateLimited();
                retryAfter = RateLimitHeaders.ReadRetryAfter(response.Headers, now);
            }

            string body;
            try
            {
                body = await ReadBodyAsync(response, request, null, linked.Token).ConfigureAwait(false);
            }
            catch (CloudflareApiException e)
            {
                return new WriteAnswer(status, [], null, retryAfter, e.Detail);
            }

            IReadOnlyList<CloudflareError> errors = [];
            try
            {
                errors = Flatten(JsonSerializer.Deserialize(body, Json.ErrorEnvelope)?.Errors);
            }
            catch (JsonException)
            {
                // Not an envelope (an edge's HTML page): the status must do.
            }

            return new WriteAnswer(status, errors, body, retryAfter, null);
        }
        catch (Exception ex) when (IsTransient(ex) && !ct.IsCancellationRequested)
        {
            return new WriteAnswer(0, [], null, null, $"no answer arrived ({ex.GetType().Name})");
        }
        finally
        {
            MarkCompleted();
        }
    }
}
