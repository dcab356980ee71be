using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

/// <summary>
/// The test-only control API, off Cloudflare's <c>/client/v4</c> prefix under <see cref="Prefix"/> and mapped only when
/// <see cref="SimulatorOptions.ControlApi"/> is set: changes the simulated organisation between syncs, each with an audit
/// log entry (<c>"log": true</c>, the default) or without one (an unlogged change). Bodies are JSON; every answer is
/// <c>{"ok": true, "logged": ENTRY_ID_OR_NULL}</c>, or <c>{"ok": false, "error": "..."}</c> with 400/404.
/// </summary>
internal sealed class ControlEndpoints(SimulatorState state)
{
    public const string Prefix = "/__control";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPut(Prefix + "/zones/{zone_id}/settings/{setting}", context => RunAsync(context, body =>
            state.SetZoneSetting(context.Route("zone_id"), context.Route("setting"), Text(body, "value") ?? throw new ArgumentException("value is required"), Log(context, body), Text(body, "actor"))));
        routes.MapPost(Prefix + "/accounts/{account_id}/zones", context => RunAsync(context, body =>
            state.AddZone(context.Route("account_id"), new ScenarioZone
            {
                Id = Text(body, "id") ?? throw new ArgumentException("id is required"),
                Name = Text(body, "name") ?? throw new ArgumentException("name is required"),
                Plan = new ZonePlan(),
            }, Log(context, body), Text(body, "actor"))));
        routes.MapDelete(Prefix + "/zones/{zone_id}", context => RunAsync(context, body =>
            state.RemoveZone(context.Route("zone_id"), Log(context, body), Text(body, "actor"))));
        routes.MapPost(Prefix + "/accounts/{account_id}/members", context => RunAsync(context, body =>
            state.AddMemberLogged(context.Route("account_id"), new ScenarioMember
            {
                Id = Text(body, "id") ?? throw new ArgumentException("id is required"),
                Status = Text(body, "status") ?? "accepted",
                User = new MemberUser { Email = Text(body, "email") ?? throw new ArgumentException("email is required"), TwoFactorAuthenticationEnabled = true },
                Roles = Strings(body, "roles"),
            }, Log(context, body), Text(body, "actor"))));
        routes.MapDelete(Prefix + "/accounts/{account_id}/members/{member_id}", context => RunAsync(context, body =>
            state.RemoveMemberLogged(context.Route("account_id"), context.Route("member_id"), Log(context, body), Text(body, "actor"))));
        routes.MapPut(Prefix + "/accounts/{account_id}/members/{member_id}", context => RunAsync(context, body =>
            state.SetMemberRoles(context.Route("account_id"), context.Route("member_id"), Strings(body, "roles"), Log(context, body), Text(body, "actor"))));
        routes.MapPut(Prefix + "/zones/{zone_id}/rulesets/{phase}", context => RunAsync(context, body =>
            state.SetZoneRuleEnabled(context.Route("zone_id"), context.Route("phase"),
                body.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False ? false : true, Log(context, body), Text(body, "actor"))));
        routes.MapPost(Prefix + "/accounts/{account_id}/audit_log", context => RunAsync(context, body =>
        {
            var account = state.RequireAccount(context.Route("account_id"));
            return state.RecordRaw(new SimAuditEntry("", account.Id, account.Name, default, Text(body, "action") ?? "update", Text(body, "method") ?? "",
                Text(body, "uri") ?? "", Text(body, "resource_type") ?? "unknown", Text(body, "resource_id"), Text(body, "zone_id"), null,
                Text(body, "actor") ?? state.DefaultActor));
        }));
    }

    private static bool Log(HttpContext context, JsonElement body) =>
        context.Request.Query.TryGetValue("log", out var q) ? !string.Equals(q, "false", StringComparison.OrdinalIgnoreCase)
        : !(body.ValueKind == JsonValueKind.Object && body.TryGetProperty("log", out var log) && log.ValueKind == JsonValueKind.False);

    private static string? Text(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    private static async Task RunAsync(HttpContext context, Func<JsonElement, SimAuditEntry?> change)
    {
        JsonElement body = default;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                body = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                await AnswerAsync(context, 400, null, $"the body is not JSON: {ex.Message}").ConfigureAwait(false);
                return;
            }
        }
        try
        {
            var entry = change(body);
            await AnswerAsync(context, 200, entry?.Id, null).ConfigureAwait(false);
        }
        catch (KeyNotFoundException ex)
        {
            await AnswerAsync(context, 404, null, ex.Message).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await AnswerAsync(context, 400, null, ex.Message).ConfigureAwait(false);
        }
    }

    private static async Task AnswerAsync(HttpContext context, int status, string? logged, string? error)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ok", error is null);
            if (error is null)
            {
                if (logged is null)
                {
                    writer.WriteNull("logged");
                }
                else
                {
                    writer.WriteString("logged", logged);
                }
            }
            else
            {
                writer.WriteString("error", error);
            }
            writer.WriteEndObject();
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
