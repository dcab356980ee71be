using System.Net;
using System.Text;

namespace Vigil.Cloudflare.Tests.Support;

/// <summary>Answers requests from a script, and records what was asked.</summary>
internal sealed class FakeHandler(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private int _count;

    public List<HttpRequestMessage> Requests { get; } = [];

    public List<string> Paths => [.. Requests.Select(r => r.RequestUri!.PathAndQuery)];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }
        return Task.FromResult(respond(request, Interlocked.Increment(ref _count)));
    }

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK, Action<HttpResponseMessage>? headers = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        headers?.Invoke(response);
        return response;
    }

    public static string Ok(string result, string? resultInfo = null) =>
        $$"""{"success":true,"errors":[],"messages":[],"result":{{result}}{{(resultInfo is null ? "" : ",\"result_info\":" + resultInfo)}}}""";

    public static string Error(int code, string message) =>
        $$"""{"success":false,"errors":[{"code":{{code}},"message":"{{message}}"}],"messages":[],"result":null}""";
}
