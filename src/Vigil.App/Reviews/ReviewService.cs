using Vigil.Core.Checks;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Storage;

namespace Vigil.App.Reviews;

/// <summary>What <c>vigil review start</c> asks for.</summary>
/// <param name="System">The system to review; today only "cloudflare".</param>
/// <param name="Name">The campaign's name; null: "cloudflare access review YYYY-MM-DD".</param>
/// <param name="Due">The day every item should be decided by; null: none.</param>
/// <param name="Reviewers">Reviewers for members with neither a manager nor a system owner other than themselves, used in turn.</param>
/// <param name="Owner">The system owner for this campaign; null: the one registered with <c>vigil systems add cloudflare --owner</c>.</param>
/// <param name="AllowStale">Start even on access data older than 24 h or from a failed access sync (recorded in the campaign).</param>
public sealed record StartCampaignRequest(
    string System = ComplianceEvaluator.CloudflareSystem,
    string? Name = null,
    DateOnly? Due = null,
    IReadOnlyList<string>? Reviewers = null,
    string? Owner = null,
    bool AllowStale = false);

/// <summary>A campaign just started.</summary>
/// <param name="StaleReason">Why the data was stale when <see cref="StartCampaignRequest.AllowStale"/> let it start anyway; null when it was fresh.</param>
public sealed record CampaignStarted(Campaign Campaign, IReadOnlyList<ReviewItem> Items, string? StaleReason);

/// <summary>One decision asked for (<c>vigil review decide CAMPAIGN MEMBER_EMAIL ...</c>).</summary>
/// <param name="MemberEmail">The member's email as Cloudflare shows it (or the member id).</param>
/// <param name="Roles">The Cloudflare roles to keep with <see cref="DecisionKind.ChangeRole"/>; empty otherwise.</param>
/// <param name="By">Who decides: the item's reviewer or the system owner.</param>
/// <param name="Comment">Why; required for revoke and change_role.</param>
/// <param name="Account">The account id or name, when the member belongs to several accounts.</param>
/// <param name="ByAdministrator">By is a signed-in administrator of the web app, who may decide any item (never their own access).</param>
public sealed record DecideRequest(
    string CampaignId,
    string MemberEmail,
    DecisionKind Decision,
    IReadOnlyList<string> Roles,
    string By,
    string? Comment = null,
    string? Account = null,
    bool ByAdministrator = false);

/// <summary>A decision recorded.</summary>
/// <param name="Superseded">The item's previous latest decision, which this one supersedes; null when it was undecided.</param>
public sealed record DecisionRecorded(ReviewItem Item, ReviewDecision Decision, ReviewDecision? Superseded);

/// <summary>A campaign signed off.</summary>
/// <param name="PendingChanges">Revocations and role changes decided in it that are still to be applied in Cloudflare and verified.</param>
public sealed record CampaignCompleted(string CampaignId, CampaignSignOff SignOff, int PendingChanges);

/// <summary>A reviewer change recorded.</summary>
public sealed record ItemReassigned(ReviewItem Item, Reassignment Reassignment);

/// <summary>There is no campaign with this id in the organisation (an API answers 404).</summary>
public sealed class CampaignNotFoundException(string campaignId)
    : OperationException($"there is no review campaign '{campaignId}'; 'vigil review list' shows them")
{
    public string CampaignId { get; } = campaignId;
}

/// <summary>A bulk decision file was refused as a whole; <see cref="Errors"/> says what is wrong, line by line. Nothing was recorded.</summary>
public sealed class BulkDecisionsRejectedException(string source, IReadOnlyList<string> errors)
    : OperationException($"{errors.Count} error{(errors.Count == 1 ? "" : "s")} in {source}; no decision was recorded")
{
    /// <summary>"line N: what is wrong", in file order.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Access-review campaigns of one organisation (issue 17): start, list, show, decide (one or a CSV file, all or nothing),
/// reassign and complete. The operations behind <c>vigil review ...</c>, the web pages and the REST API; each checks the
/// review rules (who may decide, reassign or sign off) and records only what passes them. Decisions, reassignments and
/// verification events are only ever added.
/// </summary>
/// <remarks>
/// Errors users can act on are <see cref="OperationException"/> (a refused rule says why and who may; an unknown campaign
/// is <see cref="CampaignNotFoundException"/>; a refused bulk file is <see cref="BulkDecisionsRejectedException"/>) and
/// <see cref="InvalidRequestException"/> for a request that makes no sense as asked.
/// </remarks>
public sealed class ReviewService(IVigilStore store, TimeProvider time)
{
    /// <summary>The organisation's review tables.</summary>
    public IReviewStore Reviews => store as IReviewStore
        ?? throw new OperationException($"access reviews are not stored on this Vigil database ({store.Engine}) yet");

    /// <summary>
    /// Freezes the current access snapshot into a campaign: one item per membership with its reviewer and what changed since
    /// the previous campaign of the same system. Holds the snapshot against retention for the campaign's lifetime.
    /// </summary>
    /// <exception cref="OperationException">No access data yet, or it is older than 24 h or from a failed access sync and <see cref="StartCampaignRequest.AllowStale"/> is false.</exception>
    /// <exception cref="InvalidRequestException">A reviewer or owner is not an email address, or the system is not cloudflare.</exception>
    public async Task<CampaignStarted> StartAsync(StartCampaignRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.System, ComplianceEvaluator.CloudflareSystem, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRequestException($"'{request.System}' cannot be reviewed; the only system is '{ComplianceEvaluator.CloudflareSystem}'", "system");
        }

        var reviewers = request.Reviewers ?? [];
        if (reviewers.Concat(request.Owner is null ? [] : [request.Owner]).FirstOrDefault(e => !e.Contains('@', StringComparison.Ordinal)) is { } notEmail)
        {
            throw new InvalidRequestException($"'{notEmail}' is not an email address", reviewers.Contains(notEmail) ? "reviewer" : "owner");
        }

        var reviews = Reviews;
        var snapshot = await store.LoadCurrentSnapshotAsync(ct);
        if (snapshot?.AccessSyncedAt is null)
        {
            throw new OperationException("no access data to review yet: run 'vigil sync' first");
        }

        var now = time.GetUtcNow();
        var data = DataFreshness.Of(snapshot, await store.ListRunsAsync(20, ct));
        var stale = CampaignPlanner.StaleReason(data.Access, now);
        if (stale is not null && !request.AllowStale)
        {
            throw new OperationException($"refusing to start a review on this access data: {stale}. Run 'vigil sync' for current data, or pass --allow-stale to review it anyway (recorded in the campaign).");
        }

        var system = ComplianceEvaluator.CloudflareSystem;
        var registered = await store.FindSystemAsync(system, ct);
        var options = await CheckConfiguration.OptionsAsync(store, null, null, ct);
        var context = EvaluationContext.Create(snapshot, await store.ListPeopleAsync(ct), await store.ListMappingsAsync(ct), registered, now, options, data,
            await store.ListSsoDeclarationsAsync(ct));
        // Only the previous campaign's items are needed (to mark changes), not every campaign's.
        var previousId = (await reviews.ListCampaignsAsync(ct))
            .LastOrDefault(c => c.Status != CampaignStatus.Cancelled && string.Equals(c.System, system, StringComparison.OrdinalIgnoreCase))?.Id;
        var previous = previousId is null ? null : await reviews.LoadCampaignAsync(previousId, ct);
        var planned = new CampaignRequest(Guid.CreateVersion7(now).ToString(), system, request.Name, request.Due, request.Owner ?? registered?.Owner, reviewers, request.AllowStale);
        var firstSeen = await reviews.LoadMembershipFirstSeenAsync(ct);
        var (campaign, items) = Rule(() => CampaignPlanner.Plan(planned, context, previous, firstSeen, stale));
        await reviews.SaveCampaignAsync(campaign, items, ct);
        await store.HoldSnapshotAsync(campaign.SnapshotId, $"campaign {campaign.Id}", ct);
        return new CampaignStarted(campaign, items, stale);
    }

    /// <summary>Every campaign with its items, decisions and verification events, oldest first.</summary>
    public Task<ReviewState> LoadAllAsync(CancellationToken ct) => Reviews.LoadReviewStateAsync(ct);

    /// <summary>The campaign with everything recorded about it.</summary>
    /// <exception cref="CampaignNotFoundException">There is none with this id.</exception>
    public async Task<ReviewCampaign> LoadAsync(string campaignId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return await Reviews.LoadCampaignAsync(campaignId.Trim(), ct) ?? throw new CampaignNotFoundException(campaignId.Trim());
    }

    /// <summary>Every campaign with its status and progress, oldest first (<c>vigil review list</c>).</summary>
    public async Task<CampaignListView> ListAsync(CancellationToken ct)
    {
        var state = await Reviews.LoadReviewStateAsync(ct);
        return new CampaignListView([.. state.Campaigns.Select(c => new CampaignSummaryView(
            c.Id, c.Campaign.Name, c.Campaign.System, ReviewJson.Name(c.Status), c.Campaign.CreatedAt, c.Campaign.Due, c.Campaign.Owner,
            new ReviewProgress(c.DecidedCount, c.Items.Count)))]);
    }

    /// <summary>The campaign as <c>vigil review show</c> presents it, judged now with the organisation's revocation SLA.</summary>
    /// <exception cref="CampaignNotFoundException">There is none with this id.</exception>
    public async Task<CampaignView> ShowAsync(string campaignId, CancellationToken ct)
    {
        var campaign = await LoadAsync(campaignId, ct);
        var remediations = store is IRemediationStore remediation ? await remediation.ListRemediationAttemptsAsync(campaign.Id, ct) : [];
        // Who removed a revoked membership, and when, comes from the audit log the syncs read (when the credential may read it).
        var auditLog = (await store.LoadCurrentSnapshotAsync(ct))?.AuditLog;
        return View(campaign, time.GetUtcNow(), await RevocationSlaAsync(ct), remediations, auditLog);
    }

    /// <summary>The organisation's revocation SLA (revocation_sla_days, from its settings and vigil.yaml).</summary>
    public async Task<TimeSpan> RevocationSlaAsync(CancellationToken ct) =>
        (await CheckConfiguration.OptionsAsync(store, null, null, ct)).RevocationSla;

    /// <summary>The read model of a campaign at <paramref name="now"/> with this SLA.</summary>
    /// <param name="remediations">The calls <c>vigil review apply</c> made for the campaign (each item shows those of its latest decision).</param>
    /// <param name="auditLog">The audit log entries the syncs read, to say who removed a revoked membership; null: unknown.</param>
    public static CampaignView View(ReviewCampaign review, DateTimeOffset now, TimeSpan sla, IReadOnlyList<RemediationAttempt>? remediations = null,
        IReadOnlyList<Vigil.Core.Sync.AuditLogEntry>? auditLog = null)
    {
        ArgumentNullException.ThrowIfNull(review);
        var c = review.Campaign;
        var byDecision = (remediations ?? []).ToLookup(r => r.DecisionId, StringComparer.Ordinal);
        var items = review.Items.Select(item => ItemView(review, item, now, sla, byDecision, auditLog)).ToList();
        var byReviewer = review.Items.GroupBy(i => i.Reviewer, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new ReviewerProgress(g.Key, g.Count(review.IsDecided), g.Count())).ToList();
        return new CampaignView(
            c.Id, c.Name, c.System, ReviewJson.Name(review.Status), c.CreatedAt, c.Due, c.Owner, c.Reviewers, c.SnapshotId, c.AccessSyncedAt,
            c.AllowStale, c.StaleReason, c.PreviousCampaignId, sla.TotalDays,
            new ReviewProgress(review.DecidedCount, review.Items.Count, byReviewer),
            items.Count(i => i.Overdue),
            [.. c.Removed.Select(r => new RemovedMembershipView(r.AccountId, r.MemberId, r.MemberEmail))],
            c.SignOff is { } s ? new SignOffView(s.By, s.At, s.Statement) : null,
            items);
    }

    private static ReviewItemView ItemView(ReviewCampaign review, ReviewItem item, DateTimeOffset now, TimeSpan sla, ILookup<string, RemediationAttempt> remediations,
        IReadOnlyList<Vigil.Core.Sync.AuditLogEntry>? auditLog)
    {
        var decision = review.LatestDecision(item);
        var verification = review.VerificationOf(item, now, sla);
        var removal = verification.State == VerificationState.Verified && verification.Decision is { Decision: DecisionKind.Revoke } revoked
            ? Vigil.Core.Sync.AuditLogMembership.FindRemoval(auditLog, item.AccountId, item.MemberId, revoked.At, verification.VerifiedAt ?? now)
            : null;
        return new ReviewItemView(
            item.AccountId, item.AccountName, item.MemberId, item.MemberEmail, item.PersonEmail, item.PersonName, item.OrgRole, item.ServiceAccount,
            [.. item.Grants.Select(g => new GrantView(g.Name, g.Scope, g.ViaGroup))],
            item.TwoFactorEnabled, item.Status, item.FirstSeen, item.RiskFlags, item.Reviewer, ReviewJson.Name(item.Change), item.Changes,
            decision is null ? null : new DecisionView(ReviewRules.Name(decision.Decision), decision.By, decision.At, decision.Comment, decision.Roles, decision.SnapshotId),
            ReviewJson.Name(verification.State),
            verification.VerifiedAt,
            verification.State == VerificationState.Verified ? verification.Event?.SnapshotId : null,
            verification.Event?.Detail,
            verification.VerifiedAt is { } at && verification.Decision is { } d ? (long)(at - d.At).TotalSeconds : null,
            RemovedBy: removal?.Entry.Actor,
            Overdue: IsOverdue(review, item, now, verification),
            Remediation: decision is null ? [] : [.. remediations[decision.Id].Select(r => new RemediationView(
                r.Method, r.Path, ReviewJson.Name(r.Outcome), r.HttpStatus, r.Explanation, r.CredentialName, r.At))],
            RemovedAt: removal?.Entry.Time);
    }

    /// <summary>
    /// What a campaign has that needs attention at <paramref name="now"/>, counted as <see cref="View"/> judges it but without
    /// building the item views: overdue items (as <see cref="CampaignView.OverdueItems"/>) and revocations or role changes
    /// not yet verified (pending_removal, overdue or reappeared).
    /// </summary>
    public static (int Overdue, int Unverified) Attention(ReviewCampaign review, DateTimeOffset now, TimeSpan sla)
    {
        ArgumentNullException.ThrowIfNull(review);
        var overdue = 0;
        var unverified = 0;
        foreach (var item in review.Items)
        {
            var verification = review.VerificationOf(item, now, sla);
            if (IsOverdue(review, item, now, verification))
            {
                overdue++;
            }
            if (verification.State is VerificationState.PendingRemoval or VerificationState.Overdue or VerificationState.Reappeared)
            {
                unverified++;
            }
        }

        return (overdue, unverified);
    }

    /// <summary>Undecided after the campaign's due day, or a revocation not verified within the SLA.</summary>
    private static bool IsOverdue(ReviewCampaign review, ReviewItem item, DateTimeOffset now, ItemVerification verification) =>
        verification.State is VerificationState.Overdue or VerificationState.Reappeared
        || (!review.IsDecided(item) && review.Campaign.Due is { } due && review.Campaign.Status != CampaignStatus.Completed
            && DateOnly.FromDateTime(now.UtcDateTime) > due);

    /// <summary>Records one decision; a later decision on the same item supersedes the earlier one, which stays recorded.</summary>
    /// <exception cref="OperationException">Refused: the campaign is closed, the decision lacks a comment or roles, or <see cref="DecideRequest.By"/> may not decide it (the message names who may).</exception>
    public async Task<DecisionRecorded> DecideAsync(DecideRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var campaign = await LoadAsync(request.CampaignId, ct);
        var staff = await StaffAsync(ct);
        var now = time.GetUtcNow();
        var (item, decision) = Rule(() =>
        {
            var found = campaign.FindItem(request.MemberEmail, request.Account);
            return (found, ReviewRules.Decide(campaign, found, request.Decision, request.Roles, request.By, request.Comment, now, Guid.CreateVersion7(now).ToString(), staff, request.ByAdministrator));
        });
        var previous = campaign.LatestDecision(item);
        await Reviews.AddDecisionsAsync([decision], ct);
        return new DecisionRecorded(item, decision, previous);
    }

    /// <summary>
    /// Records every decision of a CSV file (columns <c>member_email,account_id,decision,role,comment</c>; several roles
    /// separated by ';'), or none: any error in any line refuses the whole file.
    /// </summary>
    /// <param name="source">The file's name, for messages.</param>
    /// <exception cref="BulkDecisionsRejectedException">Some line is wrong; its errors are listed by line and nothing was recorded.</exception>
    public async Task<IReadOnlyList<ReviewDecision>> DecideBulkAsync(string campaignId, TextReader csv, string by, string source, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var campaign = await LoadAsync(campaignId, ct);
        var staff = await StaffAsync(ct);
        var now = time.GetUtcNow();
        var (decisions, errors) = BulkDecisions.Read(csv, campaign, by, now, () => Guid.CreateVersion7(now).ToString(), staff);
        if (errors.Count > 0)
        {
            throw new BulkDecisionsRejectedException(source, errors);
        }

        await Reviews.AddDecisionsAsync(decisions, ct);
        return decisions;
    }

    /// <summary>Hands an item to another reviewer; only the system owner may, and never to the member themselves.</summary>
    /// <exception cref="OperationException">Refused; the message says why and who may.</exception>
    public async Task<ItemReassigned> ReassignAsync(string campaignId, string memberEmail, string to, string by, string? account, CancellationToken ct)
    {
        var campaign = await LoadAsync(campaignId, ct);
        var staff = await StaffAsync(ct);
        var (item, reassignment) = Rule(() =>
        {
            var found = campaign.FindItem(memberEmail, account);
            return (found, ReviewRules.Reassign(campaign, found, to, by, time.GetUtcNow(), staff));
        });
        await Reviews.ReassignAsync(reassignment, ct);
        return new ItemReassigned(item, reassignment);
    }

    /// <summary>Signs a campaign off (the management acknowledgement) once every item is decided: by the system owner or an admin.</summary>
    /// <exception cref="OperationException">Refused (who may, what is undecided), or the campaign was closed meanwhile.</exception>
    public async Task<CampaignCompleted> CompleteAsync(string campaignId, string by, string statement, CancellationToken ct)
    {
        var campaign = await LoadAsync(campaignId, ct);
        var staff = await StaffAsync(ct);
        var signOff = Rule(() => ReviewRules.Complete(campaign, by, statement, time.GetUtcNow(), staff));
        if (!await Reviews.CompleteCampaignAsync(campaign.Id, signOff, ct))
        {
            throw new OperationException($"campaign {campaign.Id} was completed or cancelled meanwhile; nothing was changed");
        }

        var pending = campaign.Items.Count(i => campaign.LatestDecision(i) is { Decision: DecisionKind.Revoke or DecisionKind.ChangeRole });
        return new CampaignCompleted(campaign.Id, signOff, pending);
    }

    private async Task<StaffDirectory> StaffAsync(CancellationToken ct) => new(await store.ListPeopleAsync(ct));

    // A refused review rule is an error the person can act on; its message already says why and who may.
    private static T Rule<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ReviewRuleException e)
        {
            throw new OperationException(e.Message);
        }
    }
}
