using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Vigil.App;
using Vigil.App.Queries;
using Vigil.App.Reviews;
using Vigil.Core.Reviews;
using Vigil.Web.Security;

namespace Vigil.Web.Api;

/// <summary>POST /api/v1/reviews: start a campaign on the current access snapshot.</summary>
internal sealed record StartReviewRequest(string? Name = null, DateOnly? Due = null, IReadOnlyList<string>? Reviewers = null, string? Owner = null, bool AllowStale = false);

/// <summary>POST /api/v1/reviews/{id}/decisions: one decision, by the caller.</summary>
/// <param name="Decision">keep, revoke, change_role or defer.</param>
/// <param name="Account">The account id or name, when the member is in several accounts.</param>
/// <param name="Roles">The Cloudflare roles to keep, with change_role.</param>
internal sealed record DecideReviewRequest(string? MemberEmail, string? Decision, string? Comment = null, string? Account = null, IReadOnlyList<string>? Roles = null);

/// <summary>POST /api/v1/reviews/{id}/reassign (the system owner).</summary>
internal sealed record ReassignReviewRequest(string? MemberEmail, string? To, string? Account = null);

/// <summary>POST /api/v1/reviews/{id}/complete: the sign-off statement (the owner or an admin).</summary>
internal sealed record CompleteReviewRequest(string? Statement);

/// <summary>A campaign just started.</summary>
internal sealed record ReviewStarted(string CampaignId, int Items, string? StaleReason);

/// <summary>A decision recorded; <c>superseded</c> is the item's previous decision, when it had one.</summary>
internal sealed record DecisionResponse(string CampaignId, string MemberEmail, string AccountId, string Decision, string By, DateTimeOffset At, string? Comment, IReadOnlyList<string> Roles, bool Superseded);

/// <summary>Decisions recorded from a bulk file.</summary>
internal sealed record BulkDecisionResponse(string CampaignId, int Recorded);

/// <summary>POST /api/v1/reviews/{id}/apply: without <c>confirm: true</c> a dry run that makes no call.</summary>
/// <param name="Credential">The remediate credential's name, when the organisation has several.</param>
internal sealed record ApplyReviewRequest(bool Confirm = false, string? Credential = null);

/// <summary>One Cloudflare call of an apply: planned (dry run), or made with the answer recorded and the verification after the sync.</summary>
/// <param name="Outcome">applied, not_found, refused, rate_limited, failed...; null in a dry run.</param>
/// <param name="Verification">The item's verification after the verifying sync; null in a dry run.</param>
internal sealed record ApplyCallResponse(
    string MemberEmail, string AccountId, string Decision, string Method, string Path, string? Body,
    string? Outcome = null, int? HttpStatus = null, string? Message = null, string? Verification = null);

/// <summary>A pending change no call can be made for, and why.</summary>
internal sealed record ApplySkippedResponse(string MemberEmail, string AccountId, string Reason);

/// <summary>
/// What <c>vigil review apply --format json</c> prints: the campaign, whether it was a dry run, the remediate credential's
/// name (never its secret), the calls (planned, or made with their answers), those left unmade after a 429, the changes
/// skipped, and the access sync that verified them.
/// </summary>
/// <param name="Failed">Calls made that did not apply (neither applied nor already gone), plus those not made.</param>
internal sealed record ApplyReviewResponse(
    string CampaignId,
    bool DryRun,
    string? Credential,
    string? CredentialProblem,
    IReadOnlyList<ApplyCallResponse> Calls,
    IReadOnlyList<ApplyCallResponse> NotMade,
    IReadOnlyList<ApplySkippedResponse> Skipped,
    string? SyncRunId,
    string? SyncProblem,
    int Failed);

/// <summary>
/// /api/v1/reviews: access-review campaigns through <see cref="ReviewService"/>: start, list, get, decide (one or a CSV
/// file), reassign, complete. A reviewer decides only the items assigned to them; the review rules decide the rest.
/// </summary>
internal static class ReviewsEndpoints
{
    public static RouteGroupBuilder MapReviewsEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reviews").WithTags("Reviews");
        group.MapPost("", StartAsync).WithName("StartReview").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<StartReviewRequest>("application/json").Produces<ReviewStarted>(StatusCodes.Status201Created).ProducesValidationProblem();
        group.MapGet("", ListAsync).WithName("ListReviews");
        group.MapGet("/{id}", GetAsync).WithName("GetReview");
        group.MapPost("/{id}/decisions", DecideAsync).WithName("DecideReviewItem").RequireAuthorization(VigilPolicies.Reviewer)
            .Accepts<DecideReviewRequest>("application/json").ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapPost("/{id}/decisions/bulk", DecideBulkAsync).WithName("DecideReviewItemsInBulk").RequireAuthorization(VigilPolicies.Reviewer)
            .Accepts<string>("text/csv").ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id}/reassign", ReassignAsync).WithName("ReassignReviewItem").RequireAuthorization(VigilPolicies.Reviewer)
            .Accepts<ReassignReviewRequest>("application/json").ProducesValidationProblem();
        group.MapPost("/{id}/complete", CompleteAsync).WithName("CompleteReview").RequireAuthorization(VigilPolicies.Reviewer)
            .Accepts<CompleteReviewRequest>("application/json").ProducesValidationProblem();
        group.MapPost("/{id}/apply", ApplyAsync).WithName("ApplyReview").RequireAuthorization(VigilPolicies.Admin)
            .Accepts<ApplyReviewRequest>("application/json").Produces<ApplyReviewResponse>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static ReviewService Service(HttpContext http) => new(ApiRequest.Store(http), ApiRequest.Time(http));

    private static async Task<Created<ReviewStarted>> StartAsync(HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<StartReviewRequest>(http, ct);
        var started = await Service(http).StartAsync(new StartCampaignRequest(Name: body.Name, Due: body.Due, Reviewers: body.Reviewers, Owner: body.Owner, AllowStale: body.AllowStale), ct);
        return TypedResults.Created($"/api/v1/reviews/{Uri.EscapeDataString(started.Campaign.Id)}",
            new ReviewStarted(started.Campaign.Id, started.Items.Count, started.StaleReason));
    }

    private static async Task<Ok<CampaignPage>> ListAsync(HttpContext http, int? limit, string? cursor, CancellationToken ct)
    {
        var request = PageRequest.From(limit, cursor);
        var campaigns = (await Service(http).ListAsync(ct)).Campaigns
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.CampaignId, StringComparer.Ordinal).ToList();
        var page = Page<CampaignSummaryView>.Of(campaigns, request);
        return TypedResults.Ok(new CampaignPage(page.Items, page.Total, page.NextCursor));
    }

    private static async Task<Ok<CampaignView>> GetAsync(string id, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await Service(http).ShowAsync(id, ct));

    private static async Task<IResult> DecideAsync(string id, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<DecideReviewRequest>(http, ct);
        var member = body.MemberEmail?.Trim() is { Length: > 0 } m ? m : throw new InvalidRequestException("member_email is required", "member_email");
        var kind = body.Decision?.Trim().ToLowerInvariant() switch
        {
            "keep" => DecisionKind.Keep,
            "revoke" => DecisionKind.Revoke,
            "change_role" => DecisionKind.ChangeRole,
            "defer" => DecisionKind.Defer,
            _ => throw new InvalidRequestException("decision must be keep, revoke, change_role or defer", "decision"),
        };
        var service = Service(http);
        var by = ApiRequest.Email(http.User);
        if (!ApiRequest.IsAdmin(http.User))
        {
            // A reviewer decides only the items assigned to them (the system owner may decide any; the rules say so too).
            var campaign = await service.LoadAsync(id, ct);
            ReviewItem item;
            try
            {
                item = campaign.FindItem(member, body.Account);
            }
            catch (ReviewRuleException e)
            {
                throw new InvalidRequestException(e.Message, "member_email");
            }
            var isOwner = campaign.Campaign.Owner is { } owner && string.Equals(owner.Trim(), by, StringComparison.OrdinalIgnoreCase);
            if (!isOwner && !string.Equals(item.Reviewer.Trim(), by, StringComparison.OrdinalIgnoreCase))
            {
                return ApiErrors.Forbidden($"{by} may not decide {item.Label} in {item.AccountName}: it is assigned to another reviewer");
            }
        }

        var recorded = await service.DecideAsync(new DecideRequest(id, member, kind, body.Roles ?? [], by, body.Comment, body.Account, ApiRequest.IsAdmin(http.User)), ct);
        var d = recorded.Decision;
        return TypedResults.Ok(new DecisionResponse(id, recorded.Item.MemberEmail, recorded.Item.AccountId, Name(d.Decision), d.By, d.At, d.Comment, d.Roles, recorded.Superseded is not null));
    }

    /// <summary>The CSV file (member_email,account_id,decision,role,comment) as the body, text/csv; all lines or none are recorded.</summary>
    private static async Task<Ok<BulkDecisionResponse>> DecideBulkAsync(string id, HttpContext http, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (text.Length == 0)
        {
            throw new InvalidRequestException("send the decisions as a CSV body (member_email,account_id,decision,role,comment)", "body");
        }

        var decisions = await Service(http).DecideBulkAsync(id, new StringReader(text), ApiRequest.Email(http.User), "the uploaded file", ct);
        return TypedResults.Ok(new BulkDecisionResponse(id, decisions.Count));
    }

    private static async Task<Ok<ReviewItemView>> ReassignAsync(string id, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<ReassignReviewRequest>(http, ct);
        var member = body.MemberEmail?.Trim() is { Length: > 0 } m ? m : throw new InvalidRequestException("member_email is required", "member_email");
        var to = body.To?.Trim() is { Length: > 0 } t ? t : throw new InvalidRequestException("to is required", "to");
        var service = Service(http);
        var done = await service.ReassignAsync(id, member, to, ApiRequest.Email(http.User), body.Account, ct);
        var view = await service.ShowAsync(id, ct);
        return TypedResults.Ok(view.Items.First(i => i.AccountId == done.Item.AccountId && i.MemberId == done.Item.MemberId));
    }

    private static async Task<Ok<CampaignView>> CompleteAsync(string id, HttpContext http, CancellationToken ct)
    {
        var body = await ApiRequest.BodyAsync<CompleteReviewRequest>(http, ct);
        var statement = body.Statement?.Trim() is { Length: > 0 } s ? s : throw new InvalidRequestException("statement is required: what the sign-off attests", "statement");
        var service = Service(http);
        await service.CompleteAsync(id, ApiRequest.Email(http.User), statement, ct);
        return TypedResults.Ok(await service.ShowAsync(id, ct));
    }

    /// <summary>
    /// The same operation as <c>vigil review apply</c> (<see cref="ReviewRemediation"/>): the plan alone unless the body
    /// says <c>"confirm": true</c>; then exactly the planned calls with the remediate credential, each answer recorded,
    /// and a full access sync that verifies them. An empty body is a dry run.
    /// </summary>
    private static async Task<Ok<ApplyReviewResponse>> ApplyAsync(string id, HttpContext http, CancellationToken ct)
    {
        var body = http.Request.ContentLength is null or 0 && http.Request.ContentType is null
            ? new ApplyReviewRequest()
            : await ApiRequest.BodyAsync<ApplyReviewRequest>(http, ct);
        var credentialName = string.IsNullOrWhiteSpace(body.Credential) ? null : body.Credential.Trim();
        await using var services = ApiStore.Services(http);
        var plan = await ReviewRemediation.PlanAsync(services, id, credentialName, ct);
        var skipped = plan.Skipped.Select(s => new ApplySkippedResponse(s.Item.MemberEmail, s.Item.AccountId, s.Reason)).ToList();
        if (!body.Confirm || plan.Calls.Count == 0)
        {
            return TypedResults.Ok(new ApplyReviewResponse(plan.CampaignId, !body.Confirm, plan.Credential?.Name, plan.CredentialProblem,
                body.Confirm ? [] : [.. plan.Calls.Select(Planned)], [], skipped, null, null, 0));
        }

        var options = await CheckConfiguration.OptionsAsync(services.Store, null, null, ct);
        var result = await ReviewRemediation.ApplyAsync(services, plan, options, "api-review-apply", ct);
        var made = result.Made.Select(m => Planned(m.Call) with
        {
            Outcome = ReviewJson.Name(m.Attempt.Outcome),
            HttpStatus = m.Attempt.HttpStatus,
            Message = m.Attempt.Explanation,
            Verification = result.Campaign.Items.FirstOrDefault(i => i.AccountId == m.Call.Item.AccountId && i.MemberId == m.Call.Item.MemberId)?.Verification,
        }).ToList();
        var failed = result.Made.Count(m => m.Attempt.Outcome is not (Core.Reviews.RemediationOutcome.Applied or Core.Reviews.RemediationOutcome.NotFound)) + result.NotMade.Count;
        return TypedResults.Ok(new ApplyReviewResponse(plan.CampaignId, false, plan.Credential?.Name, plan.CredentialProblem, made,
            [.. result.NotMade.Select(Planned)], skipped, result.Sync?.Run.Id, result.SyncProblem, failed));
    }

    private static ApplyCallResponse Planned(PlannedCall c) =>
        new(c.Item.MemberEmail, c.Item.AccountId, ReviewRules.Name(c.Decision.Decision), c.Method, c.Path, c.Body);

    private static string Name(DecisionKind kind) => kind switch
    {
        DecisionKind.ChangeRole => "change_role",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
