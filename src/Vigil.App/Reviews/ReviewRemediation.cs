using Vigil.Cloudflare;
using Vigil.Cloudflare.Preflight;
using Vigil.Cloudflare.Remediation;
using Vigil.Core;
using Vigil.Core.Checks;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Core.Sync;

namespace Vigil.App.Reviews;

/// <summary>One Cloudflare call <c>vigil review apply</c> will make for a pending revocation or role change.</summary>
/// <param name="MemberId">The membership the call names: the item's, or the one the same person holds now if it came back under a new id.</param>
/// <param name="Method">DELETE (revoke) or PUT (change_role).</param>
/// <param name="Path">Under the API base: /accounts/ID/members/ID.</param>
/// <param name="Body">The JSON a PUT sends (<c>{"roles":[{"id":...}]}</c>); null for a DELETE.</param>
/// <param name="RoleNames">The decided roles (change_role), as named in the decision.</param>
/// <param name="RoleIds">The ids of <paramref name="RoleNames"/> in the account, sent in the body.</param>
public sealed record PlannedCall(
    ReviewItem Item, ReviewDecision Decision, string MemberId, string Method, string Path, string? Body, IReadOnlyList<string> RoleNames, IReadOnlyList<string> RoleIds)
{
    /// <summary>"DELETE /accounts/…/members/…" or "PUT /accounts/…/members/… {"roles":[…]}".</summary>
    public string Display => Body is null ? $"{Method} {Path}" : $"{Method} {Path} {Body}";
}

/// <summary>A pending revocation or role change no call can be made for; <see cref="Reason"/> says why and what to do.</summary>
public sealed record SkippedChange(ReviewItem Item, ReviewDecision Decision, string Reason);

/// <summary>What <c>vigil review apply</c> would do: the calls, in order, and the changes it cannot make.</summary>
/// <param name="Credential">The remediate credential the calls would use; null when none can be (see <see cref="CredentialProblem"/>).</param>
public sealed record ApplyPlan(
    string CampaignId,
    RemediationCredential? Credential,
    string? CredentialProblem,
    IReadOnlyList<PlannedCall> Calls,
    IReadOnlyList<SkippedChange> Skipped);

/// <summary>A call made and the answer recorded for it.</summary>
public sealed record MadeCall(PlannedCall Call, RemediationAttempt Attempt);

/// <summary>What <c>vigil review apply --yes</c> did.</summary>
/// <param name="NotMade">Calls left unmade because Cloudflare rate-limited an earlier one (run apply again later).</param>
/// <param name="Sync">The access sync that followed; null when none ran (see <see cref="SyncProblem"/>).</param>
/// <param name="Campaign">The campaign after the sync: each item's verification.</param>
public sealed record ApplyResult(
    ApplyPlan Plan,
    IReadOnlyList<MadeCall> Made,
    IReadOnlyList<PlannedCall> NotMade,
    SyncOutcome? Sync,
    string? SyncProblem,
    CampaignView Campaign);

/// <summary>
/// Optional remediation of a campaign (<c>vigil review apply CAMPAIGN [--yes]</c>): every revoke and change_role
/// decision not yet seen applied becomes the Cloudflare call that applies it, made with the organisation's remediate
/// credential. <see cref="PlanAsync"/> makes no call at all; <see cref="ApplyAsync"/> makes exactly the planned calls,
/// each once (a refusal, a 404 or a 429 is recorded and explained, never retried), records every answer beside its
/// decision, then runs an access sync whose evaluation verifies what was applied.
/// </summary>
public static class ReviewRemediation
{
    /// <summary>The calls that would apply the campaign's pending changes. Makes no call to Cloudflare.</summary>
    /// <param name="credentialName">The remediate credential to use; null: the organisation's only one.</param>
    /// <exception cref="CampaignNotFoundException">No such campaign.</exception>
    /// <exception cref="OperationException">No access data yet, or the campaign is cancelled.</exception>
    public static async Task<ApplyPlan> PlanAsync(VigilServices services, string campaignId, string? credentialName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        var review = new ReviewService(services.Store, services.Time);
        var campaign = await review.LoadAsync(campaignId, ct);
        if (campaign.Campaign.Status == CampaignStatus.Cancelled)
        {
            throw new OperationException($"campaign {campaign.Id} is cancelled; nothing in it is applied");
        }

        var snapshot = await services.Store.LoadCurrentSnapshotAsync(ct)
            ?? throw new OperationException("no access data yet: run 'vigil sync' first");
        var (credential, problem) = await CredentialAsync(Remediations(services), credentialName, ct);
        var attempts = await Remediations(services).ListRemediationAttemptsAsync(campaign.Id, ct);
        var sla = await review.RevocationSlaAsync(ct);
        var now = services.Time.GetUtcNow();

        var calls = new List<PlannedCall>();
        var skipped = new List<SkippedChange>();
        foreach (var item in campaign.Items)
        {
            var verification = campaign.VerificationOf(item, now, sla);
            if (verification.State is not (VerificationState.PendingRemoval or VerificationState.Overdue or VerificationState.Reappeared)
                || verification.Decision is not { } decision)
            {
                continue;
            }

            // Already answered "done" (or "already gone") since the last verification: the next sync verifies it; asking again would be blind.
            var since = verification.Event?.RecordedAt ?? DateTimeOffset.MinValue;
            if (attempts.LastOrDefault(a => a.DecisionId == decision.Id && a.At >= since) is { Outcome: RemediationOutcome.Applied or RemediationOutcome.NotFound } done)
            {
                skipped.Add(new SkippedChange(item, decision, $"already applied ({done.Method} {done.Path} answered HTTP {done.HttpStatus} at {ReviewJson.Time(done.At)}); 'vigil sync' verifies it"));
                continue;
            }

            if (credential?.AccountId is { } limited && !string.Equals(limited, item.AccountId, StringComparison.Ordinal))
            {
                skipped.Add(new SkippedChange(item, decision, $"the remediate credential '{credential.Name}' is limited to account {limited}"));
                continue;
            }

            var current = snapshot.Members.Where(m => m.AccountId == item.AccountId && m.IsAccess
                    && (m.Id == item.MemberId || (item.MemberEmail.Length > 0 && string.Equals(m.Email.Trim(), item.MemberEmail.Trim(), StringComparison.OrdinalIgnoreCase))))
                .OrderByDescending(m => m.Id == item.MemberId).FirstOrDefault();
            if (current is null)
            {
                skipped.Add(new SkippedChange(item, decision, $"{item.Label} holds no membership in {item.AccountName} in the last access sync; 'vigil sync' verifies it"));
                continue;
            }

            var path = MemberRemediator.MemberPath(item.AccountId, current.Id);
            if (decision.Decision == DecisionKind.Revoke)
            {
                calls.Add(new PlannedCall(item, decision, current.Id, "DELETE", path, null, [], []));
                continue;
            }

            var roles = snapshot.Roles.Where(r => r.AccountId == item.AccountId).ToList();
            var unknown = decision.Roles.Where(name => !roles.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))).ToList();
            if (unknown.Count > 0)
            {
                skipped.Add(new SkippedChange(item, decision,
                    $"{string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "is not a role" : "are not roles")} of account {item.AccountName} " +
                    $"(its roles: {string.Join(", ", roles.Select(r => r.Name).Order(StringComparer.OrdinalIgnoreCase))}); decide again with a role it has"));
                continue;
            }

            var ids = decision.Roles.Select(name => roles.First(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)).Id).Distinct(StringComparer.Ordinal).ToList();
            calls.Add(new PlannedCall(item, decision, current.Id, "PUT", path, MemberRemediator.RolesBody(ids), decision.Roles, ids));
        }

        return new ApplyPlan(campaign.Id, credential, problem, calls, skipped);
    }

    /// <summary>
    /// Makes exactly the planned calls with the remediate credential, once each, recording every answer; stops making
    /// calls after a 429 (the rest wait for the next run); then runs an access sync (purpose access) that verifies them.
    /// </summary>
    /// <exception cref="OperationException">The plan has no usable remediate credential.</exception>
    public static async Task<ApplyResult> ApplyAsync(VigilServices services, ApplyPlan plan, CheckOptions options, string trigger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(plan);
        var store = Remediations(services);
        var review = new ReviewService(services.Store, services.Time);
        if (plan.Calls.Count > 0 && plan.Credential is null)
        {
            throw new OperationException(plan.CredentialProblem ?? "no remediate credential");
        }

        var made = new List<MadeCall>();
        var notMade = new List<PlannedCall>();
        if (plan.Credential is { } stored && plan.Calls.Count > 0)
        {
            services.Store.RequireMasterKey();
            var secret = await store.ReadRemediationSecretAsync(stored.Id, ct);
            var credential = stored.Kind switch
            {
                CredentialKind.GlobalKey => CloudflareCredential.GlobalKey(stored.Email ?? "", secret),
                CredentialKind.AccountToken => CloudflareCredential.AccountToken(secret),
                _ => CloudflareCredential.UserToken(secret),
            };
            foreach (var call in plan.Calls)
            {
                if (made.Any(m => m.Attempt.Outcome == RemediationOutcome.RateLimited))
                {
                    notMade.Add(call);
                    continue;
                }

                var answer = call.Method == "DELETE"
                    ? await services.Remediator.RemoveAsync(credential, stored.ApiUrl, call.Item.AccountId, call.MemberId, ct)
                    : await services.Remediator.SetRolesAsync(credential, stored.ApiUrl, call.Item.AccountId, call.MemberId, call.RoleIds, ct);
                var attempt = new RemediationAttempt(
                    plan.CampaignId, call.Decision.Id, call.Item.AccountId, call.MemberId, stored.Name, answer.Method, answer.Path, answer.RequestBody,
                    Enum.Parse<RemediationOutcome>(answer.Outcome.ToString()), answer.HttpStatus, answer.Errors, answer.Explanation, services.Time.GetUtcNow());
                // Recorded at once: whatever happens next, the answer Cloudflare gave is kept.
                await store.AddRemediationAttemptAsync(attempt, ct);
                made.Add(new MadeCall(call, attempt));
            }
        }

        SyncOutcome? sync = null;
        string? syncProblem = null;
        if (made.Count > 0)
        {
            try
            {
                // Full, not incremental: the verification reads the memberships themselves rather than trust the audit log.
                sync = await SyncOperation.RunAsync(services, ConnectionPurpose.Access, trigger, options, null, null, ct, full: true);
            }
            catch (OperationException e)
            {
                syncProblem = $"no access sync ran to verify the changes: {e.Message}";
            }
        }

        return new ApplyResult(plan, made, notMade, sync, syncProblem, await review.ShowAsync(plan.CampaignId, ct));
    }

    /// <summary>
    /// Checks a remediate credential (it may remove and re-role members: preflight asks to remove a member that does not
    /// exist) and stores it apart from the read connections when it may. Nothing is stored when it may not.
    /// </summary>
    /// <returns>The preflight report, and the stored credential (null when refused).</returns>
    public static async Task<(PreflightReport Report, RemediationCredential? Stored)> ConnectAsync(
        VigilServices services, string name, string apiUrl, string? accountId, CloudflareCredential credential, Secret secret, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(credential);
        var report = await services.Preflight.RunAsync(new PreflightRequest(credential, apiUrl, ConnectionPurpose.Remediate, accountId), ct);
        if (!report.CredentialValid || report.Accounts.Count == 0 || !report.IsReady(ConnectionPurpose.Remediate))
        {
            return (report, null);
        }

        var kind = report.DetectedKind ?? credential.Kind;
        var account = accountId ?? (kind == CredentialKind.AccountToken && report.Accounts.Count == 1 ? report.Accounts[0].Id : null);
        var stored = new RemediationCredential(Guid.NewGuid().ToString("N"), name, apiUrl.TrimEnd('/'), account, kind, credential.Email, services.Time.GetUtcNow(), report.Summary);
        await Remediations(services).SaveRemediationCredentialAsync(stored, secret, ct);
        return (report, stored);
    }

    private static async Task<(RemediationCredential? Credential, string? Problem)> CredentialAsync(IRemediationStore store, string? name, CancellationToken ct)
    {
        var all = await store.ListRemediationCredentialsAsync(ct);
        const string connect = "vigil connect cloudflare --name NAME --purpose remediate --token-env VAR";
        if (name is not null)
        {
            return all.FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) is { } named
                ? (named, null)
                : (null, $"there is no remediate credential '{name}'{(all.Count == 0 ? "" : $"; there are: {string.Join(", ", all.Select(c => c.Name))}")}; add one with '{connect}'");
        }

        return all.Count switch
        {
            0 => (null, $"no remediate credential: read credentials never change Cloudflare; add one that may remove and re-role members with '{connect}'"),
            1 => (all[0], null),
            _ => (null, $"several remediate credentials ({string.Join(", ", all.Select(c => c.Name))}); name one with --credential NAME"),
        };
    }

    private static IRemediationStore Remediations(VigilServices services) =>
        services.Store as IRemediationStore ?? throw new OperationException($"remediation is not stored on this Vigil database ({services.Store.Engine}) yet");
}
