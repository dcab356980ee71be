using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vigil.Core.Checks;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;
using Vigil.Core.People;
using Vigil.Core.Reviews;
using Vigil.Core.Storage;
using Vigil.Core.Sync;
using Vigil.Storage;

namespace Vigil.App.Reports;

/// <summary>Which snapshot a report is about, and which campaign it includes.</summary>
/// <param name="At">--at: a date (YYYY-MM-DD, the end of that day in the organisation's time zone) or an ISO-8601 time with offset; the snapshot current then.</param>
/// <param name="SnapshotId">--snapshot: a given snapshot (sync run) id.</param>
/// <param name="CampaignId">--review: a campaign to include.</param>
public sealed record ReportSelection(string? At = null, string? SnapshotId = null, string? CampaignId = null);

/// <summary>
/// Builds an <see cref="EvidenceReport"/> from one organisation's store: the snapshot chosen, the evaluation stored with
/// it (or one made for it, as at its time), the raw API responses it came from with their SHA-256, the coverage of
/// every list read, and optionally a review campaign. Reads only; never evaluates against the clock.
/// </summary>
public static class ReportBuilder
{
    // As many recent runs as the evaluator reads to judge each stage's freshness.
    private const int RecentRuns = 20;

    /// <exception cref="InvalidRequestException">--at and --snapshot together, or a date that does not parse.</exception>
    /// <exception cref="OperationException">Nothing synced, an unknown snapshot or campaign.</exception>
    public static async Task<EvidenceReport> BuildAsync(IVigilStore store, ReportSelection selection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(selection);
        if (selection.At is not null && selection.SnapshotId is not null)
        {
            throw new InvalidRequestException("--at and --snapshot exclude each other: give one", "at");
        }

        var options = await CheckConfiguration.OptionsAsync(store, null, null, ct);
        var runs = await store.ListRunsAsync(int.MaxValue, ct);
        var (snapshot, described) = await SelectSnapshotAsync(store, selection, options, runs, ct);

        var people = await store.ListPeopleAsync(ct);
        var mappings = await store.ListMappingsAsync(ct);
        var identities = new IdentityResolver(new StaffDirectory(people), mappings);

        var evaluation = await store.LoadLatestEvaluationAsync(snapshot.Id, ct);
        var stored = evaluation is not null;
        evaluation ??= await EvaluateAsAtSnapshotAsync(store, snapshot, people, mappings, options, runs, ct);

        var connections = selection.SnapshotId is null && selection.At is null ? (await store.ListAsync(ct)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal) : null;
        var evidence = new EvidenceCache(store);
        var access = await SourceAsync(evidence, runs, snapshot.Id, SyncStageKind.Access, snapshot.AccessSyncedAt,
            snapshot.Accounts.Select(a => a.ConnectionId).ToHashSet(StringComparer.Ordinal), ct);
        var infra = await SourceAsync(evidence, runs, snapshot.Id, SyncStageKind.Infra, snapshot.InfraSyncedAt, connections, ct);

        ReviewCampaign? campaign = null;
        if (selection.CampaignId is { } campaignId)
        {
            var reviews = store as IReviewStore
                ?? throw new OperationException("this Vigil database has no access-review tables");
            campaign = await reviews.LoadCampaignAsync(campaignId.Trim(), ct)
                ?? throw new OperationException($"there is no review campaign '{campaignId.Trim()}'; 'vigil review list' shows them");
        }

        var asOf = Max([evaluation.EvaluatedAt, snapshot.TakenAt, .. campaign is null ? [] : Facts(campaign)]);
        var checks = Checks(evaluation);
        var accountNames = snapshot.Accounts.GroupBy(a => a.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        ReportReview? review = null;
        if (campaign is not null)
        {
            var campaignAccess = campaign.Campaign.SnapshotId == snapshot.Id
                ? access
                : await SourceAsync(evidence, runs, campaign.Campaign.SnapshotId, SyncStageKind.Access, campaign.Campaign.AccessSyncedAt, null, ct);
            review = Review(campaign, asOf, options.RevocationSla, campaignAccess, snapshot.AuditLog);
        }

        return new EvidenceReport(
            store.Organisation.Id,
            store.Organisation.Name,
            snapshot.Id,
            snapshot.TakenAt,
            described,
            asOf,
            new ReportEvaluation(evaluation.EvaluatedAt, stored,
                checks.Count(c => c.Status == CheckStatus.Pass), checks.Count(c => c.Status == CheckStatus.Fail),
                checks.Count(c => c.Status == CheckStatus.Unknown), checks.Count(c => c.Status == CheckStatus.Excepted)),
            access,
            infra,
            checks,
            Frameworks(checks),
            Members(snapshot, identities, accountNames),
            Zones(snapshot, accountNames),
            review);
    }

    /// <summary>Parses --at: YYYY-MM-DD (the end of that day in <paramref name="zone"/>) or an ISO-8601 time with an offset.</summary>
    public static DateTimeOffset ParseAt(string text, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        var value = text.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var end = day.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            return new DateTimeOffset(end, zone.GetUtcOffset(end)).AddTicks(-1);
        }

        if (value.Length > 10 && (value.EndsWith('Z') || value.EndsWith("z", StringComparison.Ordinal) || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return at;
        }

        throw new InvalidRequestException($"--at '{value}' is not a date (YYYY-MM-DD) or an ISO-8601 time with an offset (2026-11-30T12:00:00Z)", "at");
    }

    private static async Task<(Snapshot Snapshot, string Described)> SelectSnapshotAsync(
        IVigilStore store, ReportSelection selection, CheckOptions options, IReadOnlyList<SyncRun> runs, CancellationToken ct)
    {
        if (selection.SnapshotId is { } given)
        {
            var id = given.Trim();
            if (await store.GetRunAsync(id, ct) is null)
            {
                throw new OperationException($"there is no snapshot '{id}': 'vigil runs' lists the snapshots (sync runs)");
            }

            var snapshot = await store.LoadSnapshotAsync(id, ct)
                ?? throw new OperationException($"snapshot '{id}' holds no data: its sync committed nothing and nothing had been committed before it");
            return (snapshot, $"snapshot {id}");
        }

        if (selection.At is { } atText)
        {
            var at = ParseAt(atText, options.TimeZone);
            // Runs are newest first; the snapshot current at a time is the state right after the last commit by then.
            var run = runs.FirstOrDefault(r => r.Stages.Any(s => s.CommittedAt is { } committed && committed <= at))
                ?? throw new OperationException(runs.SelectMany(r => r.Stages).Select(s => s.CommittedAt).Where(c => c is not null).Min() is { } first
                    ? $"no snapshot was current at {Text.Time(at)}: the first data was committed at {Text.Time(first)}"
                    : "nothing synced yet: run 'vigil sync' first");
            var snapshot = await store.LoadSnapshotAsync(run.Id, ct)
                ?? throw new OperationException($"snapshot '{run.Id}' holds no data");
            return (snapshot, $"at {atText.Trim()} (snapshot current at {Text.Time(at)})");
        }

        var current = await store.LoadCurrentSnapshotAsync(ct)
            ?? throw new OperationException("nothing synced yet: run 'vigil sync' first");
        return (current, "current");
    }

    // No evaluation was stored with this snapshot: judge it as at its own time, so the result is the same each time.
    private static async Task<Evaluation> EvaluateAsAtSnapshotAsync(
        IVigilStore store, Snapshot snapshot, IReadOnlyList<Person> people, IReadOnlyList<IdentityMapping> mappings,
        CheckOptions options, IReadOnlyList<SyncRun> runs, CancellationToken ct)
    {
        var system = await store.FindSystemAsync(ComplianceEvaluator.CloudflareSystem, ct);
        var sso = await store.ListSsoDeclarationsAsync(ct);
        var reviews = store is IReviewStore reviewStore ? await reviewStore.LoadReviewStateAsync(ct) : null;
        var upTo = runs.SkipWhile(r => r.Id != snapshot.Id).Take(RecentRuns).ToList();
        var context = EvaluationContext.Create(snapshot, people, mappings, system, snapshot.TakenAt, options, DataFreshness.Of(snapshot, upTo), sso, reviews);
        return CheckRunner.Evaluate(context, CheckConfiguration.Enabled(options));
    }

    /// <summary>
    /// The runs whose commits of this stage make up the snapshot (the newest commit per connection among the runs up to
    /// the snapshot's), their evidence and coverage.
    /// </summary>
    private static async Task<ReportSource> SourceAsync(
        EvidenceCache evidence, IReadOnlyList<SyncRun> runs, string snapshotId, SyncStageKind stage, DateTimeOffset? syncedAt,
        IReadOnlySet<string>? connections, CancellationToken ct)
    {
        var stageName = stage == SyncStageKind.Access ? "access" : "infra";
        var sources = new List<(SyncRun Run, string ConnectionId)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs.SkipWhile(r => r.Id != snapshotId))
        {
            foreach (var result in run.Stages.Where(s => s.Stage == stage && s.CommittedAt is not null))
            {
                if ((connections is null || connections.Contains(result.ConnectionId)) && seen.Add(result.ConnectionId))
                {
                    sources.Add((run, result.ConnectionId));
                }
            }
        }

        // Oldest first, then by connection: the order the responses were received in.
        sources = [.. sources.OrderBy(s => s.Run.StartedAt).ThenBy(s => s.ConnectionId, StringComparer.Ordinal)];
        var responses = new List<ReportResponse>();
        var coverage = new List<ListCoverage>();
        foreach (var (run, connectionId) in sources)
        {
            responses.AddRange((await evidence.ReadAsync(run.Id, ct)).Where(r => r.Stage == stageName && r.ConnectionId == connectionId));
            coverage.AddRange((run.Coverage ?? []).Where(c => c.Stage == stageName && (c.ConnectionId is null || c.ConnectionId == connectionId)));
        }

        return new ReportSource(stageName, syncedAt, [.. sources.Select(s => s.Run.Id).Distinct(StringComparer.Ordinal)], Digest(responses), responses, coverage);
    }

    /// <summary>SHA-256 over the responses' hashes, each as lower-case hex and a line feed.</summary>
    public static string Digest(IEnumerable<ReportResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var response in responses)
        {
            hash.AppendData(Encoding.ASCII.GetBytes(response.Sha256 + "\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static List<ReportCheck> Checks(Evaluation evaluation) =>
    [
        .. evaluation.Results.Select(result =>
        {
            var definition = CheckCatalog.Find(result.CheckId)?.Definition;
            return new ReportCheck(
                result.CheckId,
                definition?.Title ?? result.CheckId,
                definition?.Severity ?? Severity.Medium,
                definition?.Asserts ?? "",
                definition?.Remediation ?? "",
                definition?.Frameworks ?? [],
                result.Status,
                result.Notes ?? [],
                result.Findings);
        }),
    ];

    /// <summary>
    /// Every control of every framework catalogue with the catalogue checks mapped to it and this report's outcome for it,
    /// from <paramref name="checks"/> (the report's evaluated checks): built once here, written the same by every format.
    /// A control no catalogue check maps to needs other evidence; one whose checks this evaluation did not run (or
    /// whose findings were all skipped) is not evaluated.
    /// </summary>
    public static IReadOnlyList<ReportFramework> Frameworks(IReadOnlyList<ReportCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var evaluated = checks.GroupBy(c => c.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return
        [
            .. FrameworkCatalog.All.Select(framework => new ReportFramework(framework.Key, framework.Name,
            [
                .. FrameworkCatalog.Coverage(framework, CheckCatalog.All).Select(coverage =>
                {
                    var (control, mapped) = coverage;
                    var ran = mapped.Select(c => evaluated.GetValueOrDefault(c.Definition.Id)).OfType<ReportCheck>().ToList();
                    var counts = FindingCounts.Of(ran.SelectMany(c => c.Findings));
                    return new ReportControl(control.Id, control.Title, StatusOf(mapped.Count, ran, counts),
                        [.. mapped.Select(c => new ReportControlCheck(c.Definition.Id, c.Definition.Title, evaluated.GetValueOrDefault(c.Definition.Id)?.Status))],
                        counts);
                }),
            ])),
        ];

        // The checks' outcome (FrameworkCatalog's rule, as `vigil checks --framework` gives it), plus what only a report
        // tells apart: no check at all, and checks that judged nothing.
        static ControlStatus StatusOf(int mapped, IReadOnlyList<ReportCheck> ran, FindingCounts counts) =>
            mapped == 0 ? ControlStatus.NeedsOtherEvidence : FrameworkCatalog.StatusOf(ran.Select(c => c.Status)) switch
            {
                CheckStatus.Fail => ControlStatus.Failing,
                CheckStatus.Unknown => ControlStatus.Unknown,
                _ when counts.Pass + counts.Excepted == 0 => ControlStatus.NotEvaluated,
                CheckStatus.Excepted => ControlStatus.Excepted,
                _ => ControlStatus.Passing,
            };
    }

    private static List<ReportMember> Members(Snapshot snapshot, IdentityResolver identities, IReadOnlyDictionary<string, string> accounts) =>
    [
        .. snapshot.Members
            .OrderBy(m => accounts.GetValueOrDefault(m.AccountId, m.AccountId), StringComparer.Ordinal)
            .ThenBy(m => m.AccountId, StringComparer.Ordinal)
            .ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m =>
            {
                var identity = identities.Resolve(m);
                var (person, mapping, detail) = identity switch
                {
                    MemberIdentity.Identified i => (i.Person, i.MatchedBy switch
                    {
                        IdentityMatch.Mapping => "mapping",
                        IdentityMatch.Alias => "alias",
                        _ => "email",
                    }, (string?)null),
                    MemberIdentity.ServiceAccount s => ((Person?)null, "service_account", s.Justification),
                    MemberIdentity.Unidentified u => (null, "unidentified", u.Reason),
                    _ => (null, "unidentified", null),
                };
                return new ReportMember(m.AccountId, accounts.GetValueOrDefault(m.AccountId, m.AccountId), m.Id, m.Email, m.DisplayName,
                    m.StatusText ?? Text.Lower(m.Status.ToString()), m.TwoFactorEnabled, Grants(m), person?.Email, person?.Name, person?.OrgRole,
                    person is null ? null : Text.Lower(person.Status.ToString()), mapping, detail, m.FirstSeenAt);
            }),
    ];

    private static List<string> Grants(AccountMember member) =>
    [
        .. member.Roles.Select(r => r.Name),
        .. member.Policies.Select(p => string.Join(", ", p.PermissionGroups)
            + (p.Access == "allow" ? "" : $" ({p.Access})")
            + (p.ViaGroup is { } group ? $" via group {group}" : "")),
    ];

    private static List<ReportZone> Zones(Snapshot snapshot, IReadOnlyDictionary<string, string> accounts) =>
    [
        .. snapshot.Zones
            .OrderBy(z => z.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(z => z.Id, StringComparer.Ordinal)
            .Select(z => new ReportZone(z.Id, z.Name, z.AccountId, accounts.GetValueOrDefault(z.AccountId, z.AccountId), z.Status, z.Paused,
                z.PlanName, z.Type, ZoneSettings(z.Security))),
    ];

    private static List<KeyValuePair<string, string>> ZoneSettings(ZoneSecurity? security)
    {
        const string NotRead = "not read";
        if (security is null)
        {
            return [new("settings", "not read (the zone got no per-zone reads: paused, pending or unreadable)")];
        }

        var features = security.Features;
        var list = new List<KeyValuePair<string, string>>
        {
            new("ssl", security.Ssl ?? NotRead),
            new("min_tls_version", security.MinTlsVersion ?? NotRead),
            new("always_use_https", security.AlwaysUseHttps ?? NotRead),
            new("hsts", security.Hsts is { } h
                ? h.Enabled ? $"on, max-age {h.MaxAgeSeconds.ToString(CultureInfo.InvariantCulture)} s{(h.IncludeSubdomains ? ", includeSubDomains" : "")}{(h.Preload ? ", preload" : "")}" : "off"
                : NotRead),
            new("security_level", security.SecurityLevel ?? NotRead),
            new("dnssec", security.DnssecStatus ?? NotRead),
            new("waf_managed", !security.Entrypoints.TryGetValue(RulesetPhases.ManagedWaf, out var waf) ? NotRead
                : waf is null ? "no entrypoint" : $"{waf.Rules.Count.ToString(CultureInfo.InvariantCulture)} rules"),
            new("universal_ssl", OnOff(features?.UniversalSslEnabled)),
            new("authenticated_origin_pulls", OnOff(features?.AuthenticatedOriginPullsEnabled)),
        };
        if (features?.Settings is { } settings)
        {
            list.AddRange(settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new KeyValuePair<string, string>($"setting {s.Key}", s.Value)));
        }
        return list;

        static string OnOff(bool? value) => value is { } on ? on ? "on" : "off" : NotRead;
    }

    private static IEnumerable<DateTimeOffset> Facts(ReviewCampaign campaign) =>
    [
        campaign.Campaign.CreatedAt,
        .. campaign.Decisions.Select(d => d.At),
        .. campaign.Verifications.Select(v => v.RecordedAt),
        .. campaign.Campaign.SignOff is { } s ? [s.At] : Array.Empty<DateTimeOffset>(),
    ];

    private static DateTimeOffset Max(IEnumerable<DateTimeOffset> times) => times.Max();

    // Who removed a revoked membership comes from the audit log the report's snapshot carries (null where none records it).
    private static ReportReview Review(ReviewCampaign review, DateTimeOffset asOf, TimeSpan sla, ReportSource access, IReadOnlyList<Vigil.Core.Sync.AuditLogEntry>? auditLog)
    {
        var c = review.Campaign;
        var byItem = review.Decisions.ToLookup(d => (d.AccountId, d.MemberId));
        var items = review.Items
            .OrderBy(i => i.AccountName, StringComparer.Ordinal)
            .ThenBy(i => i.AccountId, StringComparer.Ordinal)
            .ThenBy(i => i.MemberEmail, StringComparer.OrdinalIgnoreCase)
            .ThenBy(i => i.MemberId, StringComparer.Ordinal)
            .Select(item =>
            {
                var verification = review.VerificationOf(item, asOf, sla);
                var events = verification.Decision is { } decision ? review.EventsOf(decision) : [];
                var removal = verification.State == VerificationState.Verified && verification.Decision is { Decision: DecisionKind.Revoke } revoked
                    ? Vigil.Core.Sync.AuditLogMembership.FindRemoval(auditLog, item.AccountId, item.MemberId, revoked.At, verification.VerifiedAt ?? asOf)
                    : null;
                return new ReportReviewItem(
                    item.AccountId, item.AccountName, item.MemberId, item.MemberEmail, item.Status, item.TwoFactorEnabled,
                    item.PersonEmail, item.PersonName, item.OrgRole, item.ServiceAccount,
                    [.. item.Grants.Select(g => g.Description)], item.RiskFlags, item.Reviewer, Text.Lower(item.Change.ToString()),
                    [.. byItem[(item.AccountId, item.MemberId)].Select(d => new ReportDecision(d.Id, ReviewRules.Name(d.Decision), d.Roles, d.By, d.At, d.Comment, d.SnapshotId))],
                    Text.Lower(verification.State.ToString()),
                    verification.VerifiedAt,
                    verification.State == VerificationState.Verified ? verification.Event?.SnapshotId : null,
                    verification.Event?.Detail,
                    verification.VerifiedAt is { } at && verification.Decision is { } d ? (long)(at - d.At).TotalSeconds : null,
                    [.. events.Select(e => new ReportVerification(e.DecisionId, Text.Lower(e.State.ToString()), e.SnapshotId, e.ObservedAt, e.RecordedAt, e.Detail))],
                    RemovedBy: removal?.Entry.Actor);
            })
            .ToList();

        return new ReportReview(
            c.Id, c.Name, c.System, Text.Lower(review.Status.ToString()), c.CreatedAt, c.Due, c.Owner, c.Reviewers, c.SnapshotId, c.AccessSyncedAt,
            c.AllowStale, c.StaleReason, c.PreviousCampaignId, review.DecidedCount, review.Items.Count, sla.TotalDays,
            c.SignOff is { } s ? new ReportSignOff(s.By, s.At, s.Statement) : null,
            [.. c.Removed.OrderBy(r => r.MemberEmail, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.MemberId, StringComparer.Ordinal)
                .Select(r => new ReportRemoved(r.AccountId, r.MemberId, r.MemberEmail))],
            items,
            access);
    }

    /// <summary>Reads each run's evidence once, hashing each body as it streams by.</summary>
    private sealed class EvidenceCache(IVigilStore store)
    {
        private readonly Dictionary<string, List<ReportResponse>> _runs = new(StringComparer.Ordinal);

        public async Task<IReadOnlyList<ReportResponse>> ReadAsync(string runId, CancellationToken ct)
        {
            if (_runs.TryGetValue(runId, out var cached))
            {
                return cached;
            }

            var list = new List<ReportResponse>();
            await foreach (var item in store.ReadEvidenceAsync(runId, ct))
            {
                var bytes = Encoding.UTF8.GetBytes(item.Payload.Body);
                list.Add(new ReportResponse(runId, item.ConnectionId, item.Stage == SyncStageKind.Access ? "access" : "infra",
                    item.Payload.Request, item.Payload.ReceivedAt, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes))));
            }
            _runs[runId] = list;
            return list;
        }
    }
}
