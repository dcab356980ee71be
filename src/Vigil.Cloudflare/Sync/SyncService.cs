using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Cloudflare.Api;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Storage;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Sync;

/// <summary>
/// One sync run over every stored connection: the access stage (accounts, roles, members) for all connections first,
/// committed per connection so access checks can run seconds after the start, then the infrastructure stage (zones and
/// their security configuration). A stage that fails commits nothing, so the data it would have replaced stays current.
/// </summary>
public sealed partial class SyncService(
    CloudflareApiClient client,
    IConnectionStore connections,
    ISyncStore store,
    IOptions<CloudflareOptions> options,
    TimeProvider time,
    ILogger<SyncService> logger)
{
    private const string AccessStage = "access";
    private const string InfraStage = "infra";

    /// <param name="onStageCommitted">Called once a stage has committed for at least one connection (the CLI evaluates checks there).</param>
    public async Task<SyncRun> RunAsync(
        SyncRequest request,
        IProgress<SyncProgress>? progress,
        Func<SyncStageKind, CancellationToken, Task>? onStageCommitted,
        CancellationToken ct)
    {
        var run = await store.StartRunAsync(request.Trigger, time.GetUtcNow(), ct).ConfigureAwait(false);
        // Every line logged during the run (sync, client, store) carries its id; the scheduler adds the organisation.
        using var runScope = logger.BeginScope("run {run_id}", run.Id);
        LogStarted(logger, run.Id, request.Trigger);
        var tally = new RunTally();
        try
        {
            var all = await connections.ListAsync(ct).ConfigureAwait(false);
            var stagesNotNeeded = 0;
            var reads = new InfraReads(ZoneReads.For(request.SelectedChecks), null);
            var plan = ReadPlan.For(request.SelectedChecks);
            var context = await LoadRunContextAsync(request, all, ct).ConfigureAwait(false);
            foreach (var stage in new[] { SyncStageKind.Access, SyncStageKind.Infra })
            {
                var purpose = stage == SyncStageKind.Access ? ConnectionPurpose.Access : ConnectionPurpose.Infra;
                if (!request.Purpose.HasFlag(purpose))
                {
                    continue;
                }
                var needs = request.DataToRead;
                if ((needs & (stage == SyncStageKind.Access ? DataNeedsStages.Access : DataNeedsStages.Infra)) == 0)
                {
                    // No enabled check reads this stage's data: not one call for it.
                    stagesNotNeeded++;
                    continue;
                }
                if (stage == SyncStageKind.Infra && reads.Zones.TracksUnderAttack && all.Any(c => c.Purpose.HasFlag(purpose)))
                {
                    // Read once, before any connection commits this stage: every connection carries dates from the same snapshot.
                    reads = new InfraReads(reads.Zones, await store.LoadCurrentSnapshotAsync(ct).ConfigureAwait(false));
                }
                var committed = false;
                // Memberships keep the date Vigil first saw them (Cloudflare gives no invitation date): read once, before any access commit.
                var firstSeen = stage == SyncStageKind.Access ? await MembershipFirstSeen.LoadAsync(store, ct).ConfigureAwait(false) : null;
                foreach (var connection in all.Where(c => c.Purpose.HasFlag(purpose)))
                {
                    var result = await RunStageAsync(run.Id, stage, connection, tally, progress, needs, firstSeen, reads, plan, ct, request, context).ConfigureAwait(false);
                    committed |= result.CommittedAt is not null;
                }
                if (committed && onStageCommitted is not null)
                {
                    await onStageCommitted(stage, ct).ConfigureAwait(false);
                }
            }
            var reason = all.Count == 0 ? "No Cloudflare connection is configured."
                : tally.Stages.IsEmpty && stagesNotNeeded > 0 ? "The enabled checks need no data from the stages asked for, so nothing was read; see the checks.enabled setting or --checks."
                : null;
            return await FinishAsync(run, request, tally, reason, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stages committed before the signal stay (each is whole); the stage in flight committed nothing.
            await FinishAsync(run, request, tally, "The sync was cancelled; stages committed before it are kept, nothing half-written was kept.",
                CancellationToken.None, SyncStatus.Cancelled).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store or callback failure outside any stage: the run still gets its final row before the error goes up.
            await FinishAsync(run, request, tally, $"The sync stopped: {ex.Message}", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SyncRun> FinishAsync(SyncRun run, SyncRequest request, RunTally tally, string? runReason, CancellationToken ct, SyncStatus? outcome = null)
    {
        var stages = tally.Stages.ToList();
        var gaps = tally.Gaps.ToList();
        var failed = stages.Where(s => s.Status == SyncStatus.Failed).ToList();
        var committedAny = stages.Any(s => s.CommittedAt is not null);
        if (runReason is null && stages.Count == 0)
        {
            runReason = $"No connection is set up for {request.Purpose.ToString().ToLowerInvariant()}.";
        }
        var status = outcome ?? (stages.Count == 0 || (!committedAny && (failed.Count > 0 || runReason is not null)) ? SyncStatus.Failed
            : failed.Count > 0 || gaps.Count > 0 || runReason is not null ? SyncStatus.Partial
            : SyncStatus.Complete);
        var reason = runReason
            ?? (failed.Count > 0 ? string.Join(" ", failed.Select(f => f.Reason)) : null)
            ?? (gaps.Count > 0 ? DescribeGaps(gaps) : null);
        var finished = run with
        {
            EndedAt = time.GetUtcNow(),
            Status = status,
            Reason = reason,
            Counts = new SyncCounts(tally.Accounts, tally.Members, tally.Zones, tally.ApiCalls, tally.RateLimited),
            Stages = stages,
            Skipped = gaps,
            Coverage = [.. tally.Coverage],
        };
        await store.FinishRunAsync(finished, ct).ConfigureAwait(false);
        LogFinished(logger, finished.Id, finished.Status, finished.Counts.ApiCalls, finished.Counts.RateLimited, tally.WaitedOnBudget.TotalSeconds);
        return finished;
    }

    private static string DescribeGaps(IReadOnlyList<ReadGap> gaps)
    {
        var permissions = gaps.Select(g => g.MissingPermission).OfType<string>().Distinct().ToList();
        var missing = permissions.Count > 0 ? $"; add to the token: {string.Join(", ", permissions.Select(p => $"\"{p}\""))}" : "";
        return $"{gaps.Count} read{(gaps.Count == 1 ? "" : "s")} could not be made{missing}.";
    }

    /// <summary>What the infrastructure stage reads beyond the core, and the snapshot it carries dates forward from (null: none, or not needed).</summary>
    private sealed class InfraReads(ZoneReads zones, Snapshot? previous)
    {
        private readonly Dictionary<string, Zone> _previousZones =
            previous?.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, StringComparer.Ordinal) ?? new(StringComparer.Ordinal);

        public ZoneReads Zones => zones;

        public Snapshot? Previous => previous;

        public Zone? PreviousZone(string zoneId) => _previousZones.GetValueOrDefault(zoneId);
    }

    private async Task<SyncStageResult> RunStageAsync(
        string runId, SyncStageKind stage, Connection connection, RunTally tally, IProgress<SyncProgress>? progress, DataNeeds needs,
        MembershipFirstSeen? firstSeen, InfraReads reads, ReadPlan plan, CancellationToken ct, SyncRequest request, RunContext context)
    {
        var started = time.GetTimestamp();
        var readMode = BeginStage(stage, connection, request, context);
        var maxAge = request.MaxResourceAge ?? TimeSpan.FromHours(24);
        ApiSession? session = null;
        var collector = new SyncStageCollector(stage == SyncStageKind.Access ? AccessStage : InfraStage, connection.Kind) { Needs = needs };
        SyncStageResult result;
        try
        {
            var secret = await connections.ReadSecretAsync(connection.Id, ct).ConfigureAwait(false);
            var credential = CloudflareCredential.For(connection, secret);
            session = new ApiSession(connection.ApiUrl, credential) { ConnectionName = connection.Name, BudgetKey = credential.BudgetKey(connection.ApiUrl, connection.CloudflareUserId) };
            var tracker = new ProgressTracker(stage, connection.Name, tally, session, client, progress);
            DateTimeOffset committedAt;
            if (stage == SyncStageKind.Access)
            {
                var data = await ReadAccessAsync(connection, session, collector, tracker, needs.HasFlag(DataNeeds.AccountTokens), ct, readMode, context, maxAge).ConfigureAwait(false);
                committedAt = time.GetUtcNow();
                data = firstSeen is null ? data : firstSeen.Apply(data, committedAt);
                data = data with
                {
                    Members = [.. data.Members.Select(m => m.ObservedAt is null ? m with { ObservedAt = readMode.HighWaterMark } : m)],
                    AuditLog = [.. WithSubjects(readMode.Entries.DistinctBy(e => (e.AccountId, e.Id)), readMode.Previous, data.Members)],
                    AuditLogRead = readMode.LogRead,
                };
                foreach (var account in data.Accounts)
                {
                    readMode.AccountsObservedAt.TryAdd(account.Id, readMode.HighWaterMark);
                }
                await store.CommitAccessStageAsync(runId, connection.Id, data, committedAt, ct).ConfigureAwait(false);
                tally.AddAccess(data.Accounts.Count, data.Members.Count);
            }
            else
            {
                var data = await ReadInfraAsync(connection, session, collector, tracker, needs, reads, plan, ct, readMode, context, maxAge).ConfigureAwait(false);
                committedAt = time.GetUtcNow();
                data = data with
                {
                    Zones = [.. data.Zones.Select(z => z.ObservedAt is null ? z with { ObservedAt = readMode.HighWaterMark } : z)],
                    AuditLog = [.. readMode.Entries.DistinctBy(e => (e.AccountId, e.Id))],
                    AuditLogRead = readMode.LogRead,
                };
                await store.CommitInfraStageAsync(runId, connection.Id, data, committedAt, ct).ConfigureAwait(false);
                tally.AddZones(data.Zones.Count);
            }
            var gaps = collector.Gaps;
            foreach (var gap in gaps)
            {
                tally.Gaps.Enqueue(gap);
            }
            result = new SyncStageResult(connection.Id, stage, gaps.Count == 0 ? SyncStatus.Complete : SyncStatus.Partial,
                gaps.Count == 0 ? null : DescribeGaps(gaps), session.Usage.ApiCalls, (long)time.GetElapsedTime(started).TotalMilliseconds, committedAt,
                readMode.ToMode(needs));
            LogStageCommitted(logger, stage, connection.Name, session.Usage.ApiCalls);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var reason = $"The {(stage == SyncStageKind.Access ? AccessStage : InfraStage)} stage of connection '{connection.Name}' failed and kept the previous data: {PlainReason(ex, connection.Kind)}";
            LogStageFailed(logger, stage, connection.Name, ex.GetType().Name, PlainReason(ex, connection.Kind));
            result = new SyncStageResult(connection.Id, stage, SyncStatus.Failed, reason, session?.Usage.ApiCalls ?? 0,
                (long)time.GetElapsedTime(started).TotalMilliseconds, null);
        }
        tally.Record(result, session?.Usage);
        if (session is not null)
        {
            tally.AddCoverage([.. session.Lists
                .Select(l => l with { Stage = collector.Stage, ConnectionId = connection.Id })
                .OrderBy(l => l.List, StringComparer.Ordinal)]);
        }
        return result;
    }

    private static string PlainReason(Exception ex, CredentialKind kind) => ex switch
    {
        CloudflareApiException api when ConnectionProblems.Classify(api, kind) is { } problem => $"{problem.Message} {problem.Fix}",
        CloudflareApiException api => api.Message,
        StageException stage => stage.Message,
        ConnectionRemovedException removed => removed.Message,
        CloudflareResponseException response => response.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <param name="readTokens">A selected check needs the accounts' account-owned API tokens (one list per account).</param>
    private async Task<AccessStageData> ReadAccessAsync(Connection connection, ApiSession session, SyncStageCollector collector, ProgressTracker tracker,
        bool readTokens, CancellationToken ct, IncrementalState readMode, RunContext context, TimeSpan maxAge)
    {
        var accounts = new List<CloudflareAccount>();
        if (connection.AccountId is { } namedId)
        {
            var named = await collector.ReadOrGapAsync(() => client.GetAccountAsync(session, namedId, ct), "account", namedId, $"GET /accounts/{namedId}").ConfigureAwait(false);
            accounts.Add(named?.Result is { } dto ? AccountMapper.Map(dto, connection.Id) : new CloudflareAccount(namedId, namedId, null, connection.Id));
        }
        else
        {
            var listed = new List<AccountDto>();
            await foreach (var page in client.ListAccountsAsync(session, ct).ConfigureAwait(false))
            {
                collector.AddEvidence(page.Raw);
                listed.AddRange(page.Items);
            }
            foreach (var dto in listed.DistinctBy(a => a.Id))
            {
                var account = AccountMapper.Map(dto, connection.Id);
                if (dto.Settings?.EnforceTwofactor is null)
                {
                    // The list normally carries settings; only when it does not is the detail call worth its cost.
                    var detail = await collector.ReadOrGapAsync(() => client.GetAccountAsync(session, account.Id, ct), "account", account.Id, $"GET /accounts/{account.Id}").ConfigureAwait(false);
                    account = account with { EnforceTwoFactor = detail?.Result?.Settings?.EnforceTwofactor };
                }
                accounts.Add(account);
            }
        }
        if (accounts.Count == 0)
        {
            throw new StageException($"{ConnectionProblems.NoAccountsVisible.Message} {ConnectionProblems.NoAccountsVisible.Fix}");
        }
        tracker.AccountsTotal = accounts.Count;
        tracker.Report();
        var readAccount = collector.Reads(DataNeeds.Members | DataNeeds.Roles)
            ? await SelectAccountsAsync(readMode, connection, context, accounts, session, collector, maxAge, ct).ConfigureAwait(false)
            : null;
        if (readAccount is null)
        {
            readMode.Incremental = false;
        }

        // Accounts are independent, so they are read MaxConcurrency at a time: one after another, an organisation with
        // many accounts would wait a round trip per page of every account before its access checks could run.
        var perAccount = new (CloudflareAccount Account, IReadOnlyList<AccountRole> Roles, IReadOnlyList<AccountMember> Members, IReadOnlyList<AccountToken> Tokens)[accounts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = ct },
            async (index, token) =>
            {
                var account = accounts[index];
                if (readAccount is not null && !readAccount(account.Id) && readMode.Previous is { } previous)
                {
                    // No logged change and not yet due for freshness: the member list re-read, the rest carried over with its last-read time.
                    perAccount[index] = await ReadMemberListAsync(account, previous, session, collector, tracker, token).ConfigureAwait(false);
                    tracker.AccountDone();
                    return;
                }
                if (!collector.Reads(DataNeeds.Members | DataNeeds.Roles))
                {
                    // No enabled check judges memberships: the accounts alone (for their settings), no member reads.
                    var onlyTokens = !readTokens ? null
                        : await ListOrGapAsync(client.ListAccountTokensAsync(session, account.Id, token), collector, AccountToken.GapType, account.Id,
                            $"GET /accounts/{account.Id}/tokens", null).ConfigureAwait(false);
                    perAccount[index] = (account, [], [], [.. (onlyTokens ?? []).DistinctBy(t => t.Id).Select(t => AccountTokenMapper.Map(t, account.Id))]);
                    tracker.AccountDone();
                    return;
                }
                var accountRoles = await ListOrGapAsync(client.ListRolesAsync(session, account.Id, token), collector, "role", account.Id, $"GET /accounts/{account.Id}/roles", null).ConfigureAwait(false);
                var accountMembers = await ListOrGapAsync(client.ListMembersAsync(session, account.Id, token), collector, "member", account.Id, $"GET /accounts/{account.Id}/members",
                    count => tracker.AddMembers(count)).ConfigureAwait(false);
                var groups = await ReadUserGroupsAsync(session, account.Id, collector, token).ConfigureAwait(false);
                var names = await ReadPermissionGroupNamesAsync(session, account.Id, accountMembers, groups, collector, token).ConfigureAwait(false);
                var sso = await collector.ReadOrGapAsync(() => client.ListSsoConnectorsAsync(session, account.Id, token), "sso_connector", account.Id,
                    $"GET /accounts/{account.Id}/sso_connectors").ConfigureAwait(false);
                // A refusal (no "Account API Tokens Read") is a gap for this account: the token check reports it unknown.
                var tokens = !readTokens ? null
                    : await ListOrGapAsync(client.ListAccountTokensAsync(session, account.Id, token), collector, AccountToken.GapType, account.Id,
                        $"GET /accounts/{account.Id}/tokens", null).ConfigureAwait(false);

                var members = (accountMembers ?? []).Select(m => MemberMapper.Map(m, account.Id, names)).ToList();
                var groupPolicies = GroupPoliciesByMember(groups, account.Id, names, members);
                for (var i = 0; i < members.Count; i++)
                {
                    if (groupPolicies.TryGetValue(members[i].Id, out var viaGroups))
                    {
                        members[i] = members[i] with { Policies = [.. members[i].Policies, .. viaGroups] };
                    }
                }
                perAccount[index] = (
                    sso is null ? account : account with { SsoConnectors = SsoConnectorMapper.Map(sso.Result ?? []) },
                    [.. accountRoles?.Select(r => RoleMapper.Map(r, account.Id)) ?? []],
                    members,
                    [.. (tokens ?? []).DistinctBy(t => t.Id).Select(t => AccountTokenMapper.Map(t, account.Id))]);
                tracker.AccountDone();
            }).ConfigureAwait(false);
        var roles = perAccount.SelectMany(a => a.Roles).ToList();
        var members = perAccount.SelectMany(a => a.Members).ToList();
        return new AccessStageData([.. perAccount.Select(a => a.Account)], roles, members, collector.Gaps, collector.Evidence,
            readTokens ? [.. perAccount.SelectMany(a => a.Tokens)] : null);
    }

    /// <summary>
    /// The account's IAM user groups with their members, read once per account (one list, then one list per group).
    /// Null when the groups could not be read: a gap is recorded, and access checks treat grants through groups as unknown.
    /// </summary>
    private async Task<List<(UserGroupDto Group, List<UserGroupMemberDto> Members)>?> ReadUserGroupsAsync(
        ApiSession session, string accountId, SyncStageCollector collector, CancellationToken ct)
    {
        var groups = await ListOrGapAsync(client.ListUserGroupsAsync(session, accountId, ct), collector, UserGroupGap, accountId,
            $"GET /accounts/{accountId}/iam/user_groups", null).ConfigureAwait(false);
        if (groups is null)
        {
            return null;
        }
        var result = new List<(UserGroupDto, List<UserGroupMemberDto>)>();
        foreach (var group in groups.Where(g => !string.IsNullOrEmpty(g.Id)).DistinctBy(g => g.Id))
        {
            var members = await ListOrGapAsync(client.ListUserGroupMembersAsync(session, accountId, group.Id!, ct), collector, UserGroupGap, accountId,
                $"GET /accounts/{accountId}/iam/user_groups/{group.Id}/members", null).ConfigureAwait(false);
            if (members is null)
            {
                return null;
            }
            result.Add((group, members));
        }
        return result;
    }

    /// <summary>Permission-group names by id, read only when some policy named a permission group by id alone.</summary>
    private async Task<IReadOnlyDictionary<string, string>?> ReadPermissionGroupNamesAsync(
        ApiSession session, string accountId, List<MemberDto>? members, List<(UserGroupDto Group, List<UserGroupMemberDto> Members)>? groups,
        SyncStageCollector collector, CancellationToken ct)
    {
        var policies = (members ?? []).SelectMany(m => m.Policies ?? []).Concat((groups ?? []).SelectMany(g => g.Group.Policies ?? []));
        if (!MemberMapper.UnnamedPermissionGroups(policies).Any())
        {
            return null;
        }
        var listed = await ListOrGapAsync(client.ListPermissionGroupsAsync(session, accountId, ct), collector, "permission_group", accountId,
            $"GET /accounts/{accountId}/iam/permission_groups", null).ConfigureAwait(false);
        return listed?.Where(g => !string.IsNullOrEmpty(g.Id) && !string.IsNullOrEmpty(g.Name))
            .GroupBy(g => g.Id!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Name!, StringComparer.Ordinal);
    }

    /// <summary>Each member id's policies through user groups, marked with the group's name.</summary>
    /// <remarks>
    /// A group member's id is the account member id (SDK types: "Account member identifier"); one whose id matches no
    /// account member is matched by email instead, so a grant is never dropped because of an id Vigil cannot place.
    /// </remarks>
    private static Dictionary<string, List<MemberPolicy>> GroupPoliciesByMember(
        List<(UserGroupDto Group, List<UserGroupMemberDto> Members)>? groups, string accountId, IReadOnlyDictionary<string, string>? names,
        IReadOnlyList<AccountMember> accountMembers)
    {
        var ids = accountMembers.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var byEmail = accountMembers.Where(m => m.HasEmail).GroupBy(m => m.Email.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var byMember = new Dictionary<string, List<MemberPolicy>>(StringComparer.Ordinal);
        foreach (var (group, groupMembers) in groups ?? [])
        {
            var policies = (group.Policies ?? []).Select(p => MemberMapper.MapPolicy(p, accountId, names, group.Name ?? group.Id)).ToList();
            var memberIds = groupMembers
                .Select(m => m.Id is { Length: > 0 } id && ids.Contains(id) ? id
                    : m.Email is { Length: > 0 } email && byEmail.TryGetValue(email.Trim(), out var viaEmail) ? viaEmail
                    : null)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal);
            foreach (var memberId in memberIds)
            {
                if (!byMember.TryGetValue(memberId, out var list))
                {
                    byMember[memberId] = list = [];
                }
                list.AddRange(policies);
            }
        }
        return byMember;
    }

    /// <summary>The gap resource type of unreadable IAM user groups (the access checks look for it).</summary>
    private const string UserGroupGap = "user_group";

    /// <summary>A whole list, or null with a gap when the credential may not read it; partial lists are never kept.</summary>
    private static async Task<List<T>?> ListOrGapAsync<T>(IAsyncEnumerable<ApiPage<T>> pages, SyncStageCollector collector, string resourceType, string resourceId, string what, Action<int>? onPage)
    {
        var items = new List<T>();
        var evidence = new List<RawPayload>();
        try
        {
            await foreach (var page in pages.ConfigureAwait(false))
            {
                evidence.Add(page.Raw);
                items.AddRange(page.Items);
                onPage?.Invoke(page.Items.Count);
            }
        }
        catch (CloudflareApiException ex) when (collector.TryRecordGap(ex, resourceType, resourceId, what))
        {
            return null;
        }
        evidence.ForEach(collector.AddEvidence);
        return items;
    }

    /// <summary>What the selected checks need read beyond the zone list: the data kinds and the zone ruleset phases.</summary>
    private sealed record ReadPlan(DataNeeds Needs, IReadOnlyList<string> ZonePhases)
    {
        /// <summary>The reads the selected checks need.</summary>
        public static ReadPlan For(IReadOnlyList<ICheck> selected) => new(CheckCatalog.NeedsOf(selected), CheckCatalog.ZonePhasesOf(selected));

        public bool BotManagement => Needs.HasFlag(DataNeeds.BotManagement);

        /// <summary>Certificate packs are read for zones whose DNS Cloudflare serves: their only reader, cloudflare.dns-caa, skips the others.</summary>
        public bool CertificatePacksFor(string? zoneType) => Needs.HasFlag(DataNeeds.CertificatePacks) && !Zone.ServesDnsElsewhere(zoneType);

        /// <summary>Logpush jobs are read for zones whose plan can push HTTP requests or firewall events (Enterprise), and their accounts.</summary>
        public bool LogpushFor(string? planLegacyId) => Needs.HasFlag(DataNeeds.Logpush) && Zone.PlanMayHaveLogpush(planLegacyId);
    }

    private async Task<InfraStageData> ReadInfraAsync(Connection connection, ApiSession session, SyncStageCollector collector, ProgressTracker tracker,
        DataNeeds needs, InfraReads reads, ReadPlan plan, CancellationToken ct, IncrementalState readMode, RunContext context, TimeSpan maxAge)
    {
        var zones = new List<ZoneDto>();
        await foreach (var page in client.ListZonesAsync(session, connection.AccountId, ct).ConfigureAwait(false))
        {
            collector.AddEvidence(page.Raw);
            zones.AddRange(page.Items);
        }
        zones = [.. zones.Where(z => z.Id is not null).DistinctBy(z => z.Id)];
        var monitored = zones.Where(ZoneMapper.IsMonitored).ToList();
        // Zone and account ids go into request paths below: one that is not a Cloudflare id fails the stage before any read.
        foreach (var zone in monitored)
        {
            CloudflareApiClient.Id(zone.Id, "zone");
        }
        var allAccountIds = monitored.Select(z => z.Account?.Id ?? connection.AccountId).OfType<string>().Where(id => id.Length > 0)
            .Select(id => CloudflareApiClient.Id(id, "account")).Distinct(StringComparer.Ordinal).ToList();
        var selection = await SelectZonesAsync(readMode, connection, context, monitored, allAccountIds, session, collector, maxAge, ct).ConfigureAwait(false);
        if (selection is null)
        {
            readMode.Incremental = false;
        }
        foreach (var accountId in allAccountIds)
        {
            // Accounts whose rulesets and Logpush jobs this sync reads (all of them in a full read): read now. Carried ones kept their time above.
            readMode.AccountsObservedAt.TryAdd(accountId, readMode.HighWaterMark);
        }
        var previous = readMode.Previous;
        var allMonitored = monitored;
        var carriedZones = new Dictionary<string, Zone>(StringComparer.Ordinal);
        if (selection is { } chosen && previous is not null)
        {
            var previousZones = previous.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, StringComparer.Ordinal);
            foreach (var zone in monitored.Where(z => !chosen.Zone(z.Id!)))
            {
                var before = previousZones[zone.Id!];
                carriedZones[zone.Id!] = before with { ObservedAt = before.ObservedAt ?? previous.InfraSyncedAt };
                foreach (var gap in previous.Gaps.Where(g => g.Stage == InfraStage && g.ResourceId == zone.Id))
                {
                    collector.AddGap(gap);
                }
            }
            monitored = [.. monitored.Where(z => chosen.Zone(z.Id!))];
        }
        tracker.ZonesTotal = monitored.Count;
        tracker.Report();

        var settings = new ZoneSettingsReader(client, session, connection.EndedEndpoints.Contains(ZoneSettingsReader.BatchEndpoint),
            async token =>
            {
                LogBatchEnded(logger, connection.Name);
                await connections.RememberEndedEndpointAsync(connection.Id, ZoneSettingsReader.BatchEndpoint, token).ConfigureAwait(false);
            }, reads.Zones.ExtraSettings);
        // DNS records are read only when a selected check needs them (the seven DNS checks), and never for zones whose DNS is served elsewhere.
        var readsDnsRecords = needs.HasFlag(DataNeeds.DnsRecords);
        var dnsRecords = new ConcurrentDictionary<string, List<DnsRecord>>(StringComparer.Ordinal);
        tracker.PerZoneCalls = () => SyncCallPlan.PerZoneFor(collector.Needs, !settings.BatchEnded, featureSettings: reads.Zones.ExtraSettings.Count,
            featureReads: (reads.Zones.UniversalSsl ? 1 : 0) + (reads.Zones.OriginPulls ? 1 : 0));
        var security = new ConcurrentDictionary<string, ZoneSecurity>(StringComparer.Ordinal);
        var managedRulesets = new ManagedRulesetCache();

        // Account-level WAF deployments and skips apply to every zone of the account: read once per account.
        var accountIds = monitored.Select(z => z.Account?.Id ?? connection.AccountId).OfType<string>().Where(id => id.Length > 0)
            .Select(id => CloudflareApiClient.Id(id, "account")).Distinct(StringComparer.Ordinal).ToList();
        var carriedAccounts = selection is { } pick && previous is not null
            ? allAccountIds.Where(id => !pick.Account(id)).ToHashSet(StringComparer.Ordinal)
            : [];
        accountIds = [.. allAccountIds.Where(id => !carriedAccounts.Contains(id))];
        var accountRulesets = !collector.Reads(DataNeeds.Rulesets) ? []
            : await ReadAccountRulesetsAsync(session, accountIds, collector, managedRulesets, ct).ConfigureAwait(false);
        if (previous is not null && carriedAccounts.Count > 0)
        {
            accountRulesets.AddRange((previous.AccountRulesets ?? []).Where(a => carriedAccounts.Contains(a.AccountId)));
            foreach (var gap in previous.Gaps.Where(g => g.Stage == InfraStage && g.ResourceId is { } id && carriedAccounts.Contains(id)))
            {
                collector.AddGap(gap);
            }
        }

        // Account Logpush jobs: once per account that owns a monitored zone whose plan can push its traffic.
        var logpushAccountIds = allMonitored.Where(z => plan.LogpushFor(z.Plan?.LegacyId))
            .Select(z => z.Account?.Id ?? connection.AccountId).OfType<string>().Where(id => id.Length > 0)
            .Select(id => CloudflareApiClient.Id(id, "account")).Distinct(StringComparer.Ordinal).Where(id => !carriedAccounts.Contains(id)).ToList();
        var accountLogpush = new List<AccountLogpush>();
        if (previous is not null && carriedAccounts.Count > 0)
        {
            accountLogpush.AddRange((previous.AccountLogpush ?? []).Where(a => carriedAccounts.Contains(a.AccountId)));
        }
        foreach (var accountId in logpushAccountIds)
        {
            var jobs = await collector.ReadOrGapAsync(() => client.ListLogpushJobsAsync(session, $"/accounts/{accountId}", ct), AccountLogpushGap, accountId,
                $"GET /accounts/{accountId}/logpush/jobs").ConfigureAwait(false);
            if (jobs is not null)
            {
                accountLogpush.Add(new AccountLogpush(accountId, LogpushJobMapper.Map(jobs.Result ?? [])));
            }
        }

        async ValueTask ReadZoneAsync(ZoneDto zone, CancellationToken token)
        {
            var zoneSecurity = await ReadZoneSecurityAsync(session, zone.Id!, zone.Type, zone.Plan?.LegacyId, settings, collector, managedRulesets, reads, plan, token).ConfigureAwait(false);
            if (readsDnsRecords && !Zone.ServesDnsElsewhere(zone.Type) && await ReadDnsRecordsAsync(session, zone.Id!, collector, token).ConfigureAwait(false) is { } records)
            {
                dnsRecords[zone.Id!] = records;
                zoneSecurity = zoneSecurity with { Features = (zoneSecurity.Features ?? new ZoneFeatures()) with { DnsRecordCount = records.Count } };
            }
            security[zone.Id!] = zoneSecurity;
            tracker.ZoneDone();
        }

        var remaining = monitored.AsEnumerable();
        if (!settings.BatchEnded && monitored.Count > 0)
        {
            // The first zone goes alone: if the batch settings call has ended, one call finds out, not one per zone in flight.
            await ReadZoneAsync(monitored[0], ct).ConfigureAwait(false);
            remaining = monitored.Skip(1);
        }
        await Parallel.ForEachAsync(remaining, new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = ct }, ReadZoneAsync)
            .ConfigureAwait(false);

        var mapped = zones.Select(z => carriedZones.TryGetValue(z.Id!, out var carried)
            ? ZoneMapper.Map(z, connection.AccountId, carried.Security) with { ObservedAt = carried.ObservedAt }
            : ZoneMapper.Map(z, connection.AccountId, security.GetValueOrDefault(z.Id!))).ToList();
        IReadOnlyList<DnsRecord>? records = readsDnsRecords
            ? [.. monitored.SelectMany(z => dnsRecords.GetValueOrDefault(z.Id!) ?? [])
                .Concat((previous?.DnsRecords ?? []).Where(r => carriedZones.ContainsKey(r.ZoneId)))
                .DistinctBy(r => r.Id, StringComparer.Ordinal)]
            : null;
        return new InfraStageData(mapped, collector.Gaps, collector.Evidence, accountRulesets, records, accountLogpush);
    }

    /// <summary>
    /// Every DNS record of one zone, mapped page by page so only Core's compact records stay in memory; null with a gap
    /// ("dns_records", naming DNS Read) when Cloudflare refuses the read. A partial list is never kept.
    /// </summary>
    private async Task<List<DnsRecord>?> ReadDnsRecordsAsync(ApiSession session, string zoneId, SyncStageCollector collector, CancellationToken ct)
    {
        var records = new List<DnsRecord>();
        var evidence = new List<RawPayload>();
        try
        {
            await foreach (var page in client.ListDnsRecordsAsync(session, zoneId, ct).ConfigureAwait(false))
            {
                evidence.Add(page.Raw);
                records.AddRange(page.Items.Select(dto => DnsRecordMapper.Map(dto, zoneId)).OfType<DnsRecord>());
            }
        }
        catch (CloudflareApiException ex) when (collector.TryRecordGap(ex, DnsRecordsGap, zoneId, $"GET /zones/{zoneId}/dns_records"))
        {
            return null;
        }
        evidence.ForEach(collector.AddEvidence);
        return records;
    }

    /// <summary>The gap resource type the DNS checks look up for a zone whose records could not be read.</summary>
    private const string DnsRecordsGap = "dns_records";

    /// <summary>The gap resource type cloudflare.dns-caa looks up for a zone whose certificate packs could not be read.</summary>
    private const string CertificatePacksGap = "certificate_packs";

    private async Task<ZoneSecurity> ReadZoneSecurityAsync(ApiSession session, string zoneId, string? zoneType, string? planLegacyId,
        ZoneSettingsReader settingsReader, SyncStageCollector collector, ManagedRulesetCache managedRulesets, InfraReads reads, ReadPlan plan, CancellationToken ct)
    {
        // Each read below is made only when an enabled check needs its data (collector.Reads): families turned off cost no call.
        var settings = !collector.Reads(DataNeeds.ZoneSettings) ? new ZoneSettingValues(null, null, null, null, null, null)
            : await settingsReader.ReadAsync(zoneId, collector, ct).ConfigureAwait(false);
        // Partial (CNAME setup) and secondary zones have their DNS signed by the authoritative provider: no call.
        var dnssec = !collector.Reads(DataNeeds.Dnssec) || Zone.ServesDnsElsewhere(zoneType) ? null
            : await collector.ReadOrGapAsync(() => client.GetDnssecAsync(session, zoneId, ct), "dnssec", zoneId, $"GET /zones/{zoneId}/dnssec").ConfigureAwait(false);
        var entrypoints = !collector.Reads(DataNeeds.Rulesets) ? new Dictionary<string, PhaseEntrypoint?>(StringComparer.Ordinal)
            : await ReadEntrypointsAsync(session, $"/zones/{zoneId}", "zone", plan.ZonePhases,
            phase => client.GetEntrypointAsync(session, zoneId, phase, ct), collector, "ruleset", zoneId, CloudflarePermissions.FirewallServicesRead,
            managedRulesets, ct).ConfigureAwait(false);
        // Page Rules that set the SSL mode are overrides like Configuration Rules: read with the rulesets.
        var pageRules = !collector.Reads(DataNeeds.Rulesets) ? null
            : await collector.ReadOrGapAsync(() => client.ListPageRulesAsync(session, zoneId, ct), "page_rules", zoneId,
            $"GET /zones/{zoneId}/pagerules").ConfigureAwait(false);
        // Per-hostname TLS settings need a paid feature: zones whose plan cannot have them cost no call.
        var hostnameTls = !collector.Reads(DataNeeds.ZoneSettings) || !Zone.PlanMayOverrideTlsPerHostname(planLegacyId) ? null
            : await collector.ReadOrGapAsync(() => client.GetHostnameMinTlsAsync(session, zoneId, ct), "hostname_tls", zoneId,
                $"GET /zones/{zoneId}/hostnames/settings/min_tls_version").ConfigureAwait(false);
        var features = await ReadFeaturesAsync(session, zoneId, settings, collector, reads, ct).ConfigureAwait(false);
        var bots = !plan.BotManagement ? null
            : await collector.ReadOrGapAsync(() => client.GetBotManagementAsync(session, zoneId, ct), "bot_management", zoneId,
                $"GET /zones/{zoneId}/bot_management").ConfigureAwait(false);
        // Logpush of HTTP requests and firewall events needs Enterprise: zones whose plan cannot have it cost no call.
        var logpush = !plan.LogpushFor(planLegacyId) ? null
            : await collector.ReadOrGapAsync(() => client.ListLogpushJobsAsync(session, $"/zones/{zoneId}", ct), "logpush", zoneId,
                $"GET /zones/{zoneId}/logpush/jobs").ConfigureAwait(false);
        // Certificate packs (their CA) for cloudflare.dns-caa: every page, or null with a gap naming SSL and Certificates Read.
        var packs = !plan.CertificatePacksFor(zoneType) ? null
            : await ListOrGapAsync(client.ListCertificatePacksAsync(session, zoneId, ct), collector, CertificatePacksGap, zoneId,
                $"GET /zones/{zoneId}/ssl/certificate_packs", onPage: null).ConfigureAwait(false);
        if (bots?.Result is not null || logpush is not null || packs is not null)
        {
            features = (features ?? new ZoneFeatures()) with
            {
                BotManagement = bots?.Result is { } bot ? BotManagementMapper.Map(bot) : null,
                LogpushJobs = logpush is null ? null : LogpushJobMapper.Map(logpush.Result ?? []),
                CertificatePacks = packs is null ? null : CertificatePackMapper.Map(packs),
            };
        }
        return new ZoneSecurity(settings.Ssl, settings.MinTlsVersion, settings.AlwaysUseHttps, settings.Hsts, settings.SecurityLevel,
            settings.LegacyWaf, dnssec?.Result?.Status, entrypoints,
            pageRules is null ? null : PageRuleMapper.MapSsl(pageRules.Result ?? []),
            hostnameTls is null ? null : HostnameSettingMapper.Map(hostnameTls.Result ?? []),
            features);
    }

    /// <summary>
    /// The zone's configuration beyond the core settings, read only for the selected checks: the extra settings (already
    /// read with the others), Universal SSL and Authenticated Origin Pulls (one call each), and the date I'm Under Attack
    /// mode was first seen (<see cref="UnderAttack"/>). Null when no selected check needs any of it.
    /// </summary>
    private async Task<ZoneFeatures?> ReadFeaturesAsync(ApiSession session, string zoneId, ZoneSettingValues settings, SyncStageCollector collector,
        InfraReads reads, CancellationToken ct)
    {
        var wanted = reads.Zones;
        if (wanted.ExtraSettings.Count == 0 && !wanted.UniversalSsl && !wanted.OriginPulls)
        {
            return null;
        }
        var universalSsl = !wanted.UniversalSsl ? null
            : await collector.ReadOrGapAsync(() => client.GetUniversalSslSettingsAsync(session, zoneId, ct), "universal_ssl", zoneId,
                $"GET /zones/{zoneId}/ssl/universal/settings").ConfigureAwait(false);
        var originPulls = !wanted.OriginPulls ? null
            : await collector.ReadOrGapAsync(() => client.GetOriginPullSettingsAsync(session, zoneId, ct), "origin_pulls", zoneId,
                $"GET /zones/{zoneId}/origin_tls_client_auth/settings").ConfigureAwait(false);
        var extra = settings.Extra ?? new Dictionary<string, string>(StringComparer.Ordinal);
        return new ZoneFeatures
        {
            Settings = wanted.ExtraSettings.Count == 0 ? null : extra,
            UniversalSslEnabled = universalSsl?.Result?.Enabled,
            // Cloudflare documents zone-level Authenticated Origin Pulls as false by default: an answer without the field is false.
            AuthenticatedOriginPullsEnabled = originPulls is null ? null : originPulls.Result?.Enabled ?? false,
            UnderAttackSince = wanted.TracksUnderAttack
                ? UnderAttack.Since(extra.GetValueOrDefault(UnderAttack.SettingId), reads.PreviousZone(zoneId), reads.Previous?.InfraSyncedAt, time.GetUtcNow())
                : null,
        };
    }

    /// <summary>
    /// The entrypoints of the given phases that exist: one list call says which phases have an entrypoint (kind
    /// <paramref name="entrypointKind"/>), and only those are read. A phase without one is recorded as null without a
    /// call; when the list cannot be read, no phase is recorded (a gap says why) and checks that need them are unknown.
    /// </summary>
    private async Task<Dictionary<string, PhaseEntrypoint?>> ReadEntrypointsAsync(
        ApiSession session, string ownerPath, string entrypointKind, IReadOnlyList<string> phases, Func<string, Task<ApiResponse<RulesetDto>>> getEntrypoint,
        SyncStageCollector collector, string gapType, string ownerId, string permission, ManagedRulesetCache managedRulesets, CancellationToken ct)
    {
        var entrypoints = new Dictionary<string, PhaseEntrypoint?>(StringComparer.Ordinal);
        var listed = new List<RulesetDto>();
        var evidence = new List<RawPayload>();
        var listAnswered = true;
        try
        {
            await foreach (var page in client.ListRulesetsAsync(session, ownerPath, permission, ct).ConfigureAwait(false))
            {
                evidence.Add(page.Raw);
                listed.AddRange(page.Items);
            }
        }
        catch (CloudflareApiException ex) when (ex.StatusCode == 404)
        {
            // Cloudflare always has this list; a server without it gets each entrypoint asked for directly (a 404 there is "none").
            listAnswered = false;
        }
        catch (CloudflareApiException ex) when (collector.TryRecordGap(ex, gapType, ownerId, $"GET {ownerPath}/rulesets"))
        {
            return entrypoints;
        }
        evidence.ForEach(collector.AddEvidence);
        var existing = listAnswered
            ? listed.Where(r => string.Equals(r.Kind, entrypointKind, StringComparison.Ordinal) && r.Phase is not null).Select(r => r.Phase!).ToHashSet(StringComparer.Ordinal)
            : phases.ToHashSet(StringComparer.Ordinal);
        foreach (var phase in phases)
        {
            if (!existing.Contains(phase))
            {
                entrypoints[phase] = null;
                continue;
            }
            var read = await collector.ReadOrGapAsync(() => getEntrypoint(phase), gapType, ownerId, $"GET {ownerPath}/rulesets/phases/{phase}/entrypoint").ConfigureAwait(false);
            if (read is not null)
            {
                entrypoints[phase] = read.Result is { } ruleset
                    ? await WeighOverridesAsync(RulesetMapper.Map(ruleset, phase), session, ownerPath, permission, collector, ownerId, managedRulesets, ct).ConfigureAwait(false)
                    : null;
            }
        }
        return entrypoints;
    }

    /// <summary>
    /// For execute rules whose overrides turn categories or rules off, how much of the deployed ruleset stays off. The
    /// managed ruleset's rules are read once per stage (they are the same for every zone), and only when such an override exists.
    /// </summary>
    private async Task<PhaseEntrypoint> WeighOverridesAsync(PhaseEntrypoint entrypoint, ApiSession session, string ownerPath, string permission,
        SyncStageCollector collector, string ownerId, ManagedRulesetCache managedRulesets, CancellationToken ct)
    {
        if (entrypoint.Phase != RulesetPhases.ManagedWaf)
        {
            return entrypoint;
        }
        var rules = new List<RulesetRule>(entrypoint.Rules.Count);
        foreach (var rule in entrypoint.Rules)
        {
            var turnsSomethingOff = rule.Overrides is { } o && o.Categories.Concat(o.Rules).Any(OverrideCoverage.IsOff);
            if (rule.Action != "execute" || !turnsSomethingOff || rule.ExecutesRulesetId is not { } rulesetId)
            {
                rules.Add(rule);
                continue;
            }
            var content = await managedRulesets.GetAsync(rulesetId, async () =>
            {
                var read = await collector.ReadOrGapAsync(() => client.GetRulesetAsync(session, ownerPath, rulesetId, permission, ct), "managed_ruleset", ownerId,
                    $"GET {ownerPath}/rulesets/{rulesetId}").ConfigureAwait(false);
                return read?.Result is { } ruleset ? RulesetMapper.MapManagedRules(ruleset) : null;
            }).ConfigureAwait(false);
            rules.Add(content is null ? rule : rule with { Coverage = OverrideCoverage.Weigh(rule.Overrides!, content) });
        }
        return entrypoint with { Rules = rules };
    }

    /// <summary>
    /// The account-level WAF entrypoints of every account that owns a monitored zone, read once per account: one list
    /// call, then only the entrypoints it shows (an entrypoint it does not list is "none"). A 403 on the list or an entrypoint
    /// is a recorded gap for that account and a 404 means "none"; neither fails the stage.
    /// </summary>
    private async Task<List<AccountRulesets>> ReadAccountRulesetsAsync(ApiSession session, IEnumerable<string> accountIds, SyncStageCollector collector,
        ManagedRulesetCache managedRulesets, CancellationToken ct)
    {
        var result = new List<AccountRulesets>();
        foreach (var accountId in accountIds)
        {
            var ownerPath = $"/accounts/{accountId}";
            var entrypoints = await ReadEntrypointsAsync(session, ownerPath, "root", RulesetPhases.SyncedAtAccount,
                phase => client.GetAccountEntrypointAsync(session, accountId, phase, ct), collector, ZoneWafManagedGap, accountId,
                CloudflarePermissions.AccountWafRead, managedRulesets, ct).ConfigureAwait(false);
            if (entrypoints.Count > 0)
            {
                result.Add(new AccountRulesets(accountId, entrypoints));
            }
        }
        return result;
    }

    /// <summary>The gap type zone-logs-exported looks up for an account whose Logpush jobs could not be read.</summary>
    private const string AccountLogpushGap = "account_logpush";

    /// <summary>The gap type zone-waf-managed looks up for an account whose rulesets could not be read.</summary>
    private const string ZoneWafManagedGap = "account_ruleset";

    /// <summary>Managed rulesets' rules by id, each read at most once per stage however many zones deploy it.</summary>
    private sealed class ManagedRulesetCache
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<OverrideCoverage.ManagedRule>?>>> _byId = new(StringComparer.Ordinal);

        public Task<IReadOnlyList<OverrideCoverage.ManagedRule>?> GetAsync(string rulesetId, Func<Task<IReadOnlyList<OverrideCoverage.ManagedRule>?>> read) =>
            _byId.GetOrAdd(rulesetId, _ => new Lazy<Task<IReadOnlyList<OverrideCoverage.ManagedRule>?>>(read)).Value;
    }

    /// <summary>A stage failure already put in plain words.</summary>
    private sealed class StageException(string message) : Exception(message);

    /// <summary>Totals of the whole run, added to from each stage.</summary>
    private sealed class RunTally
    {
        private int _accounts;
        private int _members;
        private int _zones;
        private int _apiCalls;
        private int _rateLimited;
        private long _waitedTicks;

        public ConcurrentQueue<SyncStageResult> Stages { get; } = new();
        public ConcurrentQueue<ReadGap> Gaps { get; } = new();
        public ConcurrentQueue<ListCoverage> Coverage { get; } = new();
        public int Accounts => _accounts;
        public int Members => _members;
        public int Zones => _zones;
        public int ApiCalls => Volatile.Read(ref _apiCalls);
        public int RateLimited => _rateLimited;
        public TimeSpan WaitedOnBudget => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

        public void AddAccess(int accounts, int members)
        {
            Interlocked.Add(ref _accounts, accounts);
            Interlocked.Add(ref _members, members);
        }

        public void AddZones(int zones) => Interlocked.Add(ref _zones, zones);

        public void AddCoverage(IEnumerable<ListCoverage> lists)
        {
            foreach (var list in lists)
            {
                Coverage.Enqueue(list);
            }
        }

        public void Record(SyncStageResult result, ApiUsage? usage)
        {
            Stages.Enqueue(result);
            Interlocked.Add(ref _apiCalls, usage?.ApiCalls ?? 0);
            Interlocked.Add(ref _rateLimited, usage?.RateLimited ?? 0);
            Interlocked.Add(ref _waitedTicks, usage?.WaitedOnBudget.Ticks ?? 0);
        }
    }

    /// <summary>Counts one stage's progress and reports it, with an ETA when the request budget is what paces the sync.</summary>
    private sealed class ProgressTracker(SyncStageKind stage, string connectionName, RunTally tally, ApiSession session, CloudflareApiClient client, IProgress<SyncProgress>? progress)
    {
        private int _accountsDone;
        private int _members;
        private int _zonesDone;

        public int AccountsTotal { get; set; }
        public int ZonesTotal { get; set; }
        public Func<int> PerZoneCalls { get; set; } = () => SyncCallPlan.PerZone(true);

        public void AccountDone()
        {
            Interlocked.Increment(ref _accountsDone);
            Report();
        }

        public void AddMembers(int count)
        {
            Interlocked.Add(ref _members, count);
            Report();
        }

        public void ZoneDone()
        {
            Interlocked.Increment(ref _zonesDone);
            Report();
        }

        public void Report()
        {
            if (progress is null)
            {
                return;
            }
            var budget = client.Budget;
            var paced = budget.IsPacing;
            var remainingCalls = stage == SyncStageKind.Access
                ? (AccountsTotal - Volatile.Read(ref _accountsDone)) * 2
                : (ZonesTotal - Volatile.Read(ref _zonesDone)) * PerZoneCalls();
            progress.Report(new SyncProgress(stage, connectionName, Volatile.Read(ref _accountsDone), AccountsTotal, Volatile.Read(ref _members),
                Volatile.Read(ref _zonesDone), ZonesTotal, tally.ApiCalls + session.Usage.ApiCalls, paced,
                paced ? budget.EstimateTimeFor(Math.Max(remainingCalls, 0)) : null,
                tally.WaitedOnBudget + session.Usage.WaitedOnBudget));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {RunId} started (trigger {Trigger})")]
    private static partial void LogStarted(ILogger logger, string runId, string trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {RunId} finished {Status}: {ApiCalls} API calls, {RateLimited} rate-limited, {WaitedSeconds:0.#} s waiting on the request budget")]
    private static partial void LogFinished(ILogger logger, string runId, SyncStatus status, int apiCalls, int rateLimited, double waitedSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stage} stage of connection '{Connection}' committed after {ApiCalls} API calls")]
    private static partial void LogStageCommitted(ILogger logger, SyncStageKind stage, string connection, int apiCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stage} stage of connection '{Connection}' failed ({ErrorType}): {Reason}")]
    private static partial void LogStageFailed(ILogger logger, SyncStageKind stage, string connection, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cloudflare no longer serves the batch zone settings call for connection '{Connection}'; reading settings one by one from now on")]
    private static partial void LogBatchEnded(ILogger logger, string connection);
}
