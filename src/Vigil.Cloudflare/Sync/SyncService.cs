using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Cloudflare.Api;
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
        var tally = new RunTally();
        try
        {
            var all = await connections.ListAsync(ct).ConfigureAwait(false);
            foreach (var stage in new[] { SyncStageKind.Access, SyncStageKind.Infra })
            {
                var purpose = stage == SyncStageKind.Access ? ConnectionPurpose.Access : ConnectionPurpose.Infra;
                if (!request.Purpose.HasFlag(purpose))
                {
                    continue;
                }
                var committed = false;
                foreach (var connection in all.Where(c => c.Purpose.HasFlag(purpose)))
                {
                    var result = await RunStageAsync(run.Id, stage, connection, tally, progress, ct).ConfigureAwait(false);
                    committed |= result.CommittedAt is not null;
                }
                if (committed && onStageCommitted is not null)
                {
                    await onStageCommitted(stage, ct).ConfigureAwait(false);
                }
            }
            return await FinishAsync(run, request, tally, all.Count == 0 ? "No Cloudflare connection is configured." : null, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await FinishAsync(run, request, tally, "The sync was cancelled.", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A store or callback failure outside any stage: the run still gets its final row before the error goes up.
            await FinishAsync(run, request, tally, $"The sync stopped: {ex.Message}", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SyncRun> FinishAsync(SyncRun run, SyncRequest request, RunTally tally, string? runReason, CancellationToken ct)
    {
        var stages = tally.Stages.ToList();
        var gaps = tally.Gaps.ToList();
        var failed = stages.Where(s => s.Status == SyncStatus.Failed).ToList();
        var committedAny = stages.Any(s => s.CommittedAt is not null);
        if (runReason is null && stages.Count == 0)
        {
            runReason = $"No connection is set up for {request.Purpose.ToString().ToLowerInvariant()}.";
        }
        var status = stages.Count == 0 || (!committedAny && (failed.Count > 0 || runReason is not null)) ? SyncStatus.Failed
            : failed.Count > 0 || gaps.Count > 0 || runReason is not null ? SyncStatus.Partial
            : SyncStatus.Complete;
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

    private async Task<SyncStageResult> RunStageAsync(
        string runId, SyncStageKind stage, Connection connection, RunTally tally, IProgress<SyncProgress>? progress, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        ApiSession? session = null;
        var collector = new SyncStageCollector(stage == SyncStageKind.Access ? AccessStage : InfraStage, connection.Kind);
        SyncStageResult result;
        try
        {
            var secret = await connections.ReadSecretAsync(connection.Id, ct).ConfigureAwait(false);
            session = new ApiSession(connection.ApiUrl, CloudflareCredential.For(connection, secret));
            var tracker = new ProgressTracker(stage, connection.Name, tally, session, client, progress);
            DateTimeOffset committedAt;
            if (stage == SyncStageKind.Access)
            {
                var data = await ReadAccessAsync(connection, session, collector, tracker, ct).ConfigureAwait(false);
                committedAt = time.GetUtcNow();
                await store.CommitAccessStageAsync(runId, connection.Id, data, committedAt, ct).ConfigureAwait(false);
                tally.AddAccess(data.Accounts.Count, data.Members.Count);
            }
            else
            {
                var data = await ReadInfraAsync(connection, session, collector, tracker, ct).ConfigureAwait(false);
                committedAt = time.GetUtcNow();
                await store.CommitInfraStageAsync(runId, connection.Id, data, committedAt, ct).ConfigureAwait(false);
                tally.AddZones(data.Zones.Count);
            }
            var gaps = collector.Gaps;
            foreach (var gap in gaps)
            {
                tally.Gaps.Enqueue(gap);
            }
            result = new SyncStageResult(connection.Id, stage, gaps.Count == 0 ? SyncStatus.Complete : SyncStatus.Partial,
                gaps.Count == 0 ? null : DescribeGaps(gaps), session.Usage.ApiCalls, (long)time.GetElapsedTime(started).TotalMilliseconds, committedAt);
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
        return result;
    }

    private static string PlainReason(Exception ex, CredentialKind kind) => ex switch
    {
        CloudflareApiException api when ConnectionProblems.Classify(api, kind) is { } problem => $"{problem.Message} {problem.Fix}",
        CloudflareApiException api => api.Message,
        StageException stage => stage.Message,
        CloudflareResponseException response => response.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    private async Task<AccessStageData> ReadAccessAsync(Connection connection, ApiSession session, SyncStageCollector collector, ProgressTracker tracker, CancellationToken ct)
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

        // Accounts are independent, so they are read MaxConcurrency at a time: one after another, an organisation with
        // many accounts would wait a round trip per page of every account before its access checks could run.
        var perAccount = new (IReadOnlyList<AccountRole> Roles, IReadOnlyList<AccountMember> Members)[accounts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, accounts.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = ct },
            async (index, token) =>
            {
                var account = accounts[index];
                var accountRoles = await ListOrGapAsync(client.ListRolesAsync(session, account.Id, token), collector, "role", account.Id, $"GET /accounts/{account.Id}/roles", null).ConfigureAwait(false);
                var accountMembers = await ListOrGapAsync(client.ListMembersAsync(session, account.Id, token), collector, "member", account.Id, $"GET /accounts/{account.Id}/members",
                    count => tracker.AddMembers(count)).ConfigureAwait(false);
                perAccount[index] = ([.. accountRoles?.Select(r => RoleMapper.Map(r, account.Id)) ?? []], [.. accountMembers?.Select(m => MemberMapper.Map(m, account.Id)) ?? []]);
                tracker.AccountDone();
            }).ConfigureAwait(false);
        var roles = perAccount.SelectMany(a => a.Roles).ToList();
        var members = perAccount.SelectMany(a => a.Members).ToList();
        return new AccessStageData(accounts, roles, members, collector.Gaps, collector.Evidence);
    }

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

    private async Task<InfraStageData> ReadInfraAsync(Connection connection, ApiSession session, SyncStageCollector collector, ProgressTracker tracker, CancellationToken ct)
    {
        var zones = new List<ZoneDto>();
        await foreach (var page in client.ListZonesAsync(session, connection.AccountId, ct).ConfigureAwait(false))
        {
            collector.AddEvidence(page.Raw);
            zones.AddRange(page.Items);
        }
        zones = [.. zones.Where(z => z.Id is not null).DistinctBy(z => z.Id)];
        var monitored = zones.Where(ZoneMapper.IsMonitored).ToList();
        tracker.ZonesTotal = monitored.Count;
        tracker.Report();

        var settings = new ZoneSettingsReader(client, session, connection.EndedEndpoints.Contains(ZoneSettingsReader.BatchEndpoint),
            async token =>
            {
                LogBatchEnded(logger, connection.Name);
                await connections.RememberEndedEndpointAsync(connection.Id, ZoneSettingsReader.BatchEndpoint, token).ConfigureAwait(false);
            });
        tracker.PerZoneCalls = () => SyncCallPlan.PerZone(!settings.BatchEnded);
        var security = new ConcurrentDictionary<string, ZoneSecurity>(StringComparer.Ordinal);

        async ValueTask ReadZoneAsync(ZoneDto zone, CancellationToken token)
        {
            security[zone.Id!] = await ReadZoneSecurityAsync(session, zone.Id!, settings, collector, token, zone.Type, zone.Plan?.LegacyId).ConfigureAwait(false);
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

        var mapped = zones.Select(z => ZoneMapper.Map(z, connection.AccountId, security.GetValueOrDefault(z.Id!))).ToList();
        return new InfraStageData(mapped, collector.Gaps, collector.Evidence);
    }

    private async Task<ZoneSecurity> ReadZoneSecurityAsync(ApiSession session, string zoneId, ZoneSettingsReader settingsReader, SyncStageCollector collector, CancellationToken ct,
        string? zoneType = null, string? planLegacyId = null)
    {
        var settings = await settingsReader.ReadAsync(zoneId, collector, ct).ConfigureAwait(false);
        // Partial (CNAME setup) and secondary zones have their DNS signed by the authoritative provider: no call.
        var dnssec = Zone.ServesDnsElsewhere(zoneType) ? null
            : await collector.ReadOrGapAsync(() => client.GetDnssecAsync(session, zoneId, ct), "dnssec", zoneId, $"GET /zones/{zoneId}/dnssec").ConfigureAwait(false);
        var entrypoints = new Dictionary<string, PhaseEntrypoint?>(StringComparer.Ordinal);
        foreach (var phase in RulesetPhases.Synced)
        {
            var read = await collector.ReadOrGapAsync(() => client.GetEntrypointAsync(session, zoneId, phase, ct), "ruleset", zoneId,
                $"GET /zones/{zoneId}/rulesets/phases/{phase}/entrypoint").ConfigureAwait(false);
            if (read is not null)
            {
                entrypoints[phase] = read.Result is { } ruleset ? RulesetMapper.Map(ruleset, phase) : null;
            }
        }
        var pageRules = await collector.ReadOrGapAsync(() => client.ListPageRulesAsync(session, zoneId, ct), "page_rules", zoneId,
            $"GET /zones/{zoneId}/pagerules").ConfigureAwait(false);
        // Per-hostname TLS settings need a paid feature: zones whose plan cannot have them cost no call.
        var hostnameTls = !Zone.PlanMayOverrideTlsPerHostname(planLegacyId) ? null
            : await collector.ReadOrGapAsync(() => client.GetHostnameMinTlsAsync(session, zoneId, ct), "hostname_tls", zoneId,
                $"GET /zones/{zoneId}/hostnames/settings/min_tls_version").ConfigureAwait(false);
        return new ZoneSecurity(settings.Ssl, settings.MinTlsVersion, settings.AlwaysUseHttps, settings.Hsts, settings.SecurityLevel,
            settings.LegacyWaf, dnssec?.Result?.Status, entrypoints,
            pageRules is null ? null : PageRuleMapper.MapSsl(pageRules.Result ?? []),
            hostnameTls is null ? null : HostnameSettingMapper.Map(hostnameTls.Result ?? []));
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync {RunId} finished {Status}: {ApiCalls} API calls, {RateLimited} rate-limited, {WaitedSeconds:0.#} s waiting on the request budget")]
    private static partial void LogFinished(ILogger logger, string runId, SyncStatus status, int apiCalls, int rateLimited, double waitedSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stage} stage of connection '{Connection}' committed after {ApiCalls} API calls")]
    private static partial void LogStageCommitted(ILogger logger, SyncStageKind stage, string connection, int apiCalls);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Stage} stage of connection '{Connection}' failed ({ErrorType}): {Reason}")]
    private static partial void LogStageFailed(ILogger logger, SyncStageKind stage, string connection, string errorType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cloudflare no longer serves the batch zone settings call for connection '{Connection}'; reading settings one by one from now on")]
    private static partial void LogBatchEnded(ILogger logger, string connection);
}
