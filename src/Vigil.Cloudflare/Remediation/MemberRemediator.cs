using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Vigil.Cloudflare.Api;

namespace Vigil.Cloudflare.Remediation;

/// <summary>What Cloudflare made of one member write.</summary>
public enum MemberWriteOutcome
{
    /// <summary>2xx: the membership was removed, or its roles set.</summary>
    Applied,
    /// <summary>403: the credential may not make this change (the permission is named).</summary>
    Refused,
    /// <summary>404: the membership is already gone.</summary>
    NotFound,
    /// <summary>429: Cloudflare rate-limited the credential; nothing was changed.</summary>
    RateLimited,
    /// <summary>Any other answer, or none: the change may or may not have been made.</summary>
    Failed,
}

/// <summary>One member write and Cloudflare's answer, with what it means for the person who asked for it.</summary>
/// <param name="Method">DELETE or PUT.</param>
/// <param name="Path">Under the API base, e.g. /accounts/ID/members/ID.</param>
/// <param name="RequestBody">The JSON sent with a PUT; null for a DELETE.</param>
/// <param name="HttpStatus">The status Cloudflare answered; null when no answer arrived.</param>
/// <param name="Errors">Cloudflare's error codes and messages, "code message" each.</param>
/// <param name="Explanation">What happened and what to do, in a sentence.</param>
public sealed record MemberWriteResult(
    string Method,
    string Path,
    string? RequestBody,
    MemberWriteOutcome Outcome,
    int? HttpStatus,
    IReadOnlyList<string> Errors,
    string Explanation);

/// <summary>
/// Removes account members and sets their roles with a remediate credential: <c>DELETE /accounts/{account_id}/members/{member_id}</c>
/// and <c>PUT /accounts/{account_id}/members/{member_id}</c> with <c>{"roles": [{"id": ...}]}</c>. Each call is made once
/// and never retried (see <see cref="CloudflareApiClient"/>): its answer is returned to be recorded.
/// </summary>
public sealed class MemberRemediator(CloudflareApiClient client, IOptions<CloudflareOptions> options)
{
    /// <summary>The path of a membership, as the call shows it.</summary>
    public static string MemberPath(string accountId, string memberId) =>
        $"/accounts/{CloudflareIds.Require(accountId, "account")}/members/{CloudflareIds.Require(memberId, "member")}";

    /// <summary>The body of "Update Member" with roles (IAMUpdateMemberWithRoles): every role by id.</summary>
    public static string RolesBody(IEnumerable<string> roleIds)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("roles");
            foreach (var id in roleIds)
            {
                json.WriteStartObject();
                json.WriteString("id", CloudflareIds.Require(id, "role"));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>DELETE /accounts/{account_id}/members/{member_id}.</summary>
    public Task<MemberWriteResult> RemoveAsync(CloudflareCredential credential, string? apiUrl, string accountId, string memberId, CancellationToken ct) =>
        SendAsync(credential, apiUrl, HttpMethod.Delete, MemberPath(accountId, memberId), null, ct);

    /// <summary>PUT /accounts/{account_id}/members/{member_id} with exactly these roles.</summary>
    public Task<MemberWriteResult> SetRolesAsync(CloudflareCredential credential, string? apiUrl, string accountId, string memberId, IReadOnlyList<string> roleIds, CancellationToken ct) =>
        SendAsync(credential, apiUrl, HttpMethod.Put, MemberPath(accountId, memberId), RolesBody(roleIds), ct);

    private async Task<MemberWriteResult> SendAsync(CloudflareCredential credential, string? apiUrl, HttpMethod method, string path, string? body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var session = new ApiSession(apiUrl ?? options.Value.BaseUrl, credential);
        var answer = await client.SendWriteOnceAsync(session, method, path, body, ct).ConfigureAwait(false);
        var errors = answer.Errors.Select(e => $"{e.Code} {e.Message}").ToList();
        var codes = errors.Count == 0 ? "" : $" ({string.Join("; ", errors)})";
        var removing = method == HttpMethod.Delete;
        var (outcome, explanation) = answer.Status switch
        {
            >= 200 and < 300 => (MemberWriteOutcome.Applied, removing
                ? "Cloudflare removed the membership; the next access sync verifies it"
                : "Cloudflare set the decided roles; the next access sync verifies them"),
            403 when answer.Errors.Any(e => e.Code == 9109 && !e.Message.Contains("Unauthorized to access requested resource", StringComparison.OrdinalIgnoreCase)) =>
                (MemberWriteOutcome.Refused, $"Cloudflare refused the remediate credential itself{codes}: it is invalid, expired or used from a location it does not allow; connect a valid one with 'vigil connect cloudflare --purpose remediate'"),
            403 => (MemberWriteOutcome.Refused,
                $"Cloudflare refused the change{codes}: the remediate credential lacks {CloudflarePermissions.AccountSettingsWrite} on this account; add it to the token and run 'vigil review apply' again"),
            404 => (MemberWriteOutcome.NotFound, removing
                ? $"the membership is already gone from Cloudflare{codes}; the next access sync verifies the revocation"
                : $"the membership no longer exists in Cloudflare{codes}; the next access sync shows where it went"),
            429 => (MemberWriteOutcome.RateLimited,
                $"Cloudflare rate-limited the remediate credential{codes}; nothing was changed and the call was not retried: run 'vigil review apply' again{(answer.RetryAfter is { } wait ? $" after {Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s" : " later")}"),
            0 => (MemberWriteOutcome.Failed,
                $"{answer.Detail ?? "no answer arrived"}: the change may or may not have been made, so it was not retried; the next access sync shows which"),
            _ => (MemberWriteOutcome.Failed,
                $"Cloudflare answered HTTP {answer.Status}{codes}{(answer.Detail is null ? "" : $": {answer.Detail}")}; not retried: the next access sync shows whether anything changed"),
        };
        return new MemberWriteResult(method.Method, path, body, outcome, answer.Status == 0 ? null : answer.Status, errors, explanation);
    }
}
