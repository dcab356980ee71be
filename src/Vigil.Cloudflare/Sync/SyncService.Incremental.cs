using System.Collections.Concurrent;
using Vigil.Cloudflare.Api;
using Vigil.Core.Checks;
using Vigil.Core.Inventory;
using Vigil.Core.Sync;

namespace Vigil.Cloudflare.Sync;

/// <summary>
/// Incremental sync from the audit log. After a committed stage, the next run of that stage for the same connection reads
/// each account's audit log from the stage's high-water mark minus <see cref="CloudflareOptions.AuditLogOverlap"/> up to
/// now, derives what changed (<see cref="AuditLogChanges"/>), re-reads exactly that plus the cheap lists (accounts, zones, member lists),
/// refreshes the resources whose last read is oldest so that none gets older than max_resource_age_hours, and carries
/// everything else over from the previous snapshot with its last-read time. Whatever the log cannot vouch for is read in full,
/// and the stage result says why (<see cref="StageReadMode.Fallbacks"/>).
/// </summary>
public sealed partial class SyncService
{
    private const string ZoneResource = "zone";
    private const string AccountMembersResource = "account_members";
    private const string AccountRulesetsResource = "account_rulesets";

    /// <summary>What every stage of one run shares: the previous snapshot, recent runs, and the audit log reads (one per connection and account).</summary>
    private sealed class RunContext(Snapshot? previous, IReadOnlyList<SyncRun> history, IReadOnlyDictionary<SyncStageKind, int> connectionsPerStage)
    {
        public Snapshot? Previous => previous;
        public IReadOnlyList<SyncRun> History => history;
        public int ConnectionsIn(SyncStageKind stage) => connectionsPerStage.GetValueOrDefault(stage);
        public ConcurrentDictionary<(string Connection, string Account), Task<LogRead>> Logs { get; } = new();
        public DateTimeOffset? LogBefore { get; set; }
    }

    /// <summary>
    /// One account's log over the window, or why it could not be used (then the account is read in full): <paramref name="Problem"/>
    /// is the sentence for the run's fallbacks, <paramref name="Why"/> the short reason kept with the account's log coverage.
    /// </summary>
    private sealed record LogRead(IReadOnlyList<AuditLogEntry> Entries, string? Problem, string? Why = null, string? MissingPermission = null);

    /// <summary>How one stage of one connection reads: the decision, what it re-read and why, and what it tells the next run.</summary>
    private sealed class IncrementalState(DateTimeOffset startedAt)
    {
        public bool Incremental { get; set; }
        public List<string> Fallbacks { get; } = [];
        public ConcurrentDictionary<(string Why, string Type), int> ReRead { get; } = new();
        public int Carried { get; set; }
        public DateTimeOffset HighWaterMark { get; set; } = startedAt;
        public ConcurrentDictionary<string, DateTimeOffset> AccountsObservedAt { get; } = new(StringComparer.Ordinal);
        public List<AuditLogEntry> Entries { get; } = [];
        public Snapshot? Previous { get; set; }
        public StageReadMode? PreviousRead { get; set; }
        public DateTimeOffset PreviousCommittedAt { get; set; }
        public DateTimeOffset Since { get; set; }
        public DateTimeOffset Now { get; set; } = startedAt;
        public ConcurrentDictionary<string, AuditLogCoverage> LogCoverage { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Records that the account's log was read over [<see cref="Since"/>, <see cref="Now"/>]: the period runs on from the
        /// previous snapshot's when that one reached at least <see cref="Since"/> (no break between the two reads).
        /// </summary>
        public void Covered(string accountId)
        {
            var before = Previous?.AuditLogRead?.FirstOrDefault(c => c.AccountId == accountId && c.Read);
            var from = before is { From: { } previousFrom, To: { } previousTo } && previousTo >= Since && previousFrom < Since ? previousFrom : Since;
            LogCoverage[accountId] = new AuditLogCoverage(accountId, from, Now);
        }

        public void Count(string why, string type, int count = 1)
        {
            if (count > 0)
            {
                ReRead.AddOrUpdate((why, type), count, (_, n) => n + count);
            }
        }

        public StageReadMode ToMode(DataNeeds needs) => new(
            Incremental ? StageReadMode.Incremental : StageReadMode.Full,
            Entries.DistinctBy(e => (e.AccountId, e.Id)).Count(),
            [.. ReRead.OrderBy(r => r.Key.Type, StringComparer.Ordinal).ThenBy(r => r.Key.Why, StringComparer.Ordinal)
                .Select(r => new ReReadCount(r.Key.Why, r.Key.Type, r.Value))],
            Carried,
            [.. Fallbacks],
            HighWaterMark,
            AccountsObservedAt.ToDictionary(StringComparer.Ordinal),
            (long)needs);

        /// <summary>How far this stage read each account's log; null when it read none (a full read).</summary>
        public IReadOnlyList<AuditLogCoverage>? LogRead => LogCoverage.IsEmpty ? null : [.. LogCoverage.Values.OrderBy(c => c.AccountId, StringComparer.Ordinal)];
    }

    private async Task<RunContext> LoadRunContextAsync(SyncRequest request, IReadOnlyList<Connection> all, CancellationToken ct)
    {
        var perStage = new Dictionary<SyncStageKind, int>
        {
            [SyncStageKind.Access] = all.Count(c => c.Purpose.HasFlag(ConnectionPurpose.Access)),
            [SyncStageKind.Infra] = all.Count(c => c.Purpose.HasFlag(ConnectionPurpose.Infra)),
        };
        if (request.Full || all.Count == 0)
        {
            return new RunContext(null, [], perStage);
        }
        var history = await store.ListRunsAsync(20, ct).ConfigureAwait(false);
        var previous = await store.LoadCurrentSnapshotAsync(ct).ConfigureAwait(false);
        return new RunContext(previous, history, perStage);
    }

    /// <summary>Decides whether this stage can read incrementally; when it cannot, says why (a first sync or --full needs no sentence).</summary>
    private IncrementalState BeginStage(SyncStageKind stage, Connection connection, SyncRequest request, RunContext context)
    {
        var now = time.GetUtcNow();
        var state = new IncrementalState(now);
        var stageName = stage == SyncStageKind.Access ? AccessStage : InfraStage;
        if (request.Full)
        {
            return state;
        }
        var previousResult = context.History
            .SelectMany(run => run.Stages.Select(s => (Run: run, Stage: s)))
            .Where(x => x.Stage.ConnectionId == connection.Id && x.Stage.Stage == stage && x.Stage.CommittedAt is not null)
            .OrderByDescending(x => x.Stage.CommittedAt)
            .Select(x => x.Stage)
            .FirstOrDefault();
        if (previousResult is null || context.Previous is null)
        {
            return state; // the first sync of this stage: full, nothing to explain
        }
        if (previousResult.Read?.HighWaterMark is not { } mark)
        {
            state.Fallbacks.Add($"The {stageName} stage of connection '{connection.Name}' was read in full: the last sync recorded no audit log high-water mark.");
            return state;
        }
        if (context.ConnectionsIn(stage) > 1)
        {
            state.Fallbacks.Add($"The {stageName} stage of connection '{connection.Name}' was read in full: more than one connection reads this stage, and incremental sync carries rows over for a single connection only.");
            return state;
        }
        if (previousResult.Read.Needs is { } needs && needs != (long)request.DataToRead)
        {
            state.Fallbacks.Add($"The {stageName} stage of connection '{connection.Name}' was read in full: the checks selected read different data than at the last sync.");
            return state;
        }
        var since = mark - options.Value.AuditLogOverlap;
        if (now - since > options.Value.AuditLogRetention)
        {
            state.Fallbacks.Add($"The {stageName} stage of connection '{connection.Name}' was read in full: its audit log high-water mark ({mark:yyyy-MM-dd HH:mm} UTC) " +
                $"is older than the about {options.Value.AuditLogRetention.TotalDays / 30:0} months Cloudflare keeps the audit log.");
            return state;
        }
        state.Incremental = true;
        state.Previous = context.Previous;
        state.PreviousRead = previousResult.Read;
        state.PreviousCommittedAt = previousResult.CommittedAt!.Value;
        state.Since = since;
        // One upper bound for the whole run, so the access and infrastructure stages share each account's log read.
        context.LogBefore ??= now;
        state.Now = context.LogBefore.Value;
        state.HighWaterMark = state.Now;
        return state;
    }

    /// <summary>The audit log of each account (read once per run and connection), and the changes derived from it; accounts whose log could not be used come back in <c>unreadable</c>.</summary>
    private async Task<(AuditLogChanges Changes, HashSet<string> Unreadable)> ReadLogsAsync(IncrementalState state, Connection connection, RunContext context,
        IEnumerable<string> accountIds, ApiSession session, SyncStageCollector collector, CancellationToken ct)
    {
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var accountId in accountIds.Distinct(StringComparer.Ordinal))
        {
            var read = await context.Logs.GetOrAdd((connection.Id, accountId), _ => ReadLogAsync(accountId, state.Since, state.Now, session, collector, ct)).ConfigureAwait(false);
            if (read.Problem is { } problem)
            {
                unreadable.Add(accountId);
                state.Fallbacks.Add(problem);
                state.LogCoverage[accountId] = new AuditLogCoverage(accountId, null, null, read.Why ?? problem, read.MissingPermission);
                continue;
            }
            state.Entries.AddRange(read.Entries);
            state.Covered(accountId);
        }
        return (AuditLogChanges.Derive(state.Entries), unreadable);
    }

    private async Task<LogRead> ReadLogAsync(string accountId, DateTimeOffset since, DateTimeOffset before, ApiSession session, SyncStageCollector collector, CancellationToken ct)
    {
        var entries = new List<AuditLogEntry>();
        try
        {
            await foreach (var (page, mapped) in client.ListAuditLogAsync(session, accountId, since, before, ct).ConfigureAwait(false))
            {
                collector.AddEvidence(page.Raw);
                entries.AddRange(mapped);
            }
            return new LogRead([.. entries.DistinctBy(e => e.Id)], null);
        }
        catch (CloudflareApiException ex) when (ex.StatusCode is 401 or 403)
        {
            return new LogRead([], $"The audit log of account {accountId} could not be read (HTTP {ex.StatusCode}): add \"{CloudflarePermissions.AccountSettingsRead}\" " +
                "to the token to allow incremental sync; the account was read in full.", $"HTTP {ex.StatusCode}", CloudflarePermissions.AccountSettingsRead);
        }
        catch (CloudflareApiException ex)
        {
            return new LogRead([], $"The audit log of account {accountId} could not be read ({ex.Message}); the account was read in full.", ex.Message);
        }
        catch (AuditLogShapeException ex)
        {
            return new LogRead([], $"The audit log of account {accountId} answered in a shape Vigil does not understand ({ex.Message}); the account was read in full.",
                $"it answered in a shape Vigil does not understand ({ex.Message})");
        }
        catch (CloudflareResponseException ex)
        {
            return new LogRead([], $"The audit log of account {accountId} could not be read whole ({ex.Message}); the account was read in full.", $"it could not be read whole ({ex.Message})");
        }
    }

    /// <summary>Membership entries with the member's email from the snapshots (v2 entries name only the membership id), so a removal can be matched to a person.</summary>
    private static IEnumerable<AuditLogEntry> WithSubjects(IEnumerable<AuditLogEntry> entries, Snapshot? previous, IReadOnlyList<AccountMember> members)
    {
        var emails = new Dictionary<(string, string), string>();
        foreach (var member in (previous?.Members ?? []).Concat(members).Where(m => m.HasEmail))
        {
            emails[(member.AccountId, member.Id)] = member.Email;
        }
        foreach (var entry in entries)
        {
            yield return AuditLogMembership.Read(entry) is { MemberId: { } id } change && emails.TryGetValue((change.AccountId, id), out var email)
                ? entry with { SubjectEmail = email }
                : entry;
        }
    }

    /// <summary>Resource type of a member list re-read on its own (why "cheap_list").</summary>
    private const string MemberListResource = "member_list";

    /// <summary>
    /// Access: whether each account's access data is read in full (otherwise its member list alone); null: all in full (a full read). An account is read in full when the log names
    /// a change to its access data (members, roles, user groups, tokens, SSO), when it is new, unreadable or not understood,
    /// or when it is due for freshness; every other account has its member list re-read (the cheap list: who has access,
    /// so an unlogged addition, removal or re-role shows at once) and the rest carried over.
    /// </summary>
    private async Task<Func<string, bool>?> SelectAccountsAsync(IncrementalState state, Connection connection, RunContext context, IReadOnlyList<CloudflareAccount> accounts,
        ApiSession session, SyncStageCollector collector, TimeSpan maxAge, CancellationToken ct)
    {
        if (!state.Incremental || state.Previous is not { } previous)
        {
            return null;
        }
        var (changes, unreadable) = await ReadLogsAsync(state, connection, context, accounts.Select(a => a.Id), session, collector, ct).ConfigureAwait(false);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        void Choose(string id, string why)
        {
            if (chosen.Add(id))
            {
                state.Count(why, AccountMembersResource);
            }
        }
        var previousAccounts = previous.Accounts.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var account in accounts)
        {
            if (unreadable.Contains(account.Id))
            {
                Choose(account.Id, "fallback");
            }
            else if (!previousAccounts.Contains(account.Id))
            {
                Choose(account.Id, "new");
            }
            else if (changes.TypesInFull.Contains(AccountMembersResource))
            {
                Choose(account.Id, "not_understood");
            }
            else if (changes.AccountsAccess.Contains(account.Id))
            {
                Choose(account.Id, "logged_change");
            }
        }
        state.Fallbacks.AddRange(changes.NotUnderstood.Where(n => n.Type == AccountMembersResource).Select(n => n.Sentence));
        var observed = state.PreviousRead?.AccountsObservedAt;
        DateTimeOffset LastRead(string id) => observed?.GetValueOrDefault(id) ?? previous.AccessSyncedAt ?? DateTimeOffset.MinValue;
        var candidates = accounts.Where(a => !chosen.Contains(a.Id)).Select(a => (a.Id, LastRead(a.Id))).ToList();
        foreach (var id in FreshnessRule.Due(candidates, state.Now - state.PreviousCommittedAt, maxAge, state.Now))
        {
            Choose(id, "freshness");
        }
        // The other accounts keep the last-read time of their roles, user groups, SSO and tokens; their member lists are
        // re-read (each member row gets this sync's time).
        foreach (var account in accounts.Where(a => !chosen.Contains(a.Id)))
        {
            state.AccountsObservedAt[account.Id] = observed?.GetValueOrDefault(account.Id) ?? previous.AccessSyncedAt ?? state.Now;
            state.Count("cheap_list", MemberListResource);
        }
        return chosen.Contains;
    }

    /// <summary>One account's access data carried over from the previous snapshot (with its gaps, those <paramref name="keepGap"/> keeps), each membership keeping its last-read time.</summary>
    private static (CloudflareAccount Account, IReadOnlyList<AccountRole> Roles, IReadOnlyList<AccountMember> Members, IReadOnlyList<AccountToken> Tokens) CarryAccount(
        CloudflareAccount account, Snapshot previous, SyncStageCollector collector, Func<ReadGap, bool> keepGap)
    {
        var before = previous.Accounts.FirstOrDefault(a => a.Id == account.Id);
        foreach (var gap in previous.Gaps.Where(g => g.Stage == AccessStage && g.ResourceId == account.Id && keepGap(g)))
        {
            collector.AddGap(gap);
        }
        return (
            account with { SsoConnectors = before?.SsoConnectors },
            [.. previous.Roles.Where(r => r.AccountId == account.Id)],
            [.. previous.Members.Where(m => m.AccountId == account.Id).Select(m => m with { ObservedAt = m.ObservedAt ?? previous.AccessSyncedAt })],
            [.. (previous.AccountTokens ?? []).Where(t => t.AccountId == account.Id)]);
    }

    /// <summary>
    /// One account's member list re-read on its own: the members (with their roles and direct policies) as Cloudflare lists
    /// them now, each keeping the policies it had through IAM user groups at the last full read of the account; roles,
    /// user groups, SSO connectors and tokens carried over with their gaps.
    /// </summary>
    private async Task<(CloudflareAccount Account, IReadOnlyList<AccountRole> Roles, IReadOnlyList<AccountMember> Members, IReadOnlyList<AccountToken> Tokens)> ReadMemberListAsync(
        CloudflareAccount account, Snapshot previous, ApiSession session, SyncStageCollector collector, ProgressTracker tracker, CancellationToken ct)
    {
        var carried = CarryAccount(account, previous, collector, g => g.ResourceType is not ("member" or "permission_group"));
        var listed = await ListOrGapAsync(client.ListMembersAsync(session, account.Id, ct), collector, "member", account.Id, $"GET /accounts/{account.Id}/members",
            count => tracker.AddMembers(count)).ConfigureAwait(false);
        var names = await ReadPermissionGroupNamesAsync(session, account.Id, listed, null, collector, ct).ConfigureAwait(false);
        var viaGroups = carried.Members.DistinctBy(m => m.Id).ToDictionary(m => m.Id, m => m.Policies.Where(p => p.ViaGroup is not null).ToList(), StringComparer.Ordinal);
        var members = (listed ?? []).Select(m => MemberMapper.Map(m, account.Id, names))
            .Select(m => viaGroups.TryGetValue(m.Id, out var policies) && policies.Count > 0 ? m with { Policies = [.. m.Policies, .. policies] } : m)
            .ToList();
        return (carried.Account, carried.Roles, members, carried.Tokens);
    }

    /// <summary>Infrastructure: which monitored zones and which accounts' rulesets and Logpush jobs are re-read; null: all (a full read).</summary>
    private async Task<(Func<string, bool> Zone, Func<string, bool> Account)?> SelectZonesAsync(IncrementalState state, Connection connection, RunContext context,
        IReadOnlyList<ZoneDto> monitored, IReadOnlyList<string> accountIds, ApiSession session, SyncStageCollector collector, TimeSpan maxAge, CancellationToken ct)
    {
        if (!state.Incremental || state.Previous is not { } previous)
        {
            return null;
        }
        var zoneAccounts = monitored.Select(z => z.Account?.Id ?? connection.AccountId).OfType<string>().Where(id => id.Length > 0)
            .Concat(accountIds).Concat(previous.Zones.Select(z => z.AccountId));
        var (changes, unreadable) = await ReadLogsAsync(state, connection, context, zoneAccounts.Where(CloudflareIds.IsValid), session, collector, ct).ConfigureAwait(false);
        var previousZones = previous.Zones.DistinctBy(z => z.Id).ToDictionary(z => z.Id, StringComparer.Ordinal);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        void Choose(string id, string why)
        {
            if (chosen.Add(id))
            {
                state.Count(why, ZoneResource);
            }
        }
        foreach (var zone in monitored)
        {
            var accountId = zone.Account?.Id ?? connection.AccountId ?? "";
            var before = previousZones.GetValueOrDefault(zone.Id!);
            if (unreadable.Contains(accountId))
            {
                Choose(zone.Id!, "fallback");
            }
            else if (before is null)
            {
                Choose(zone.Id!, "new");
            }
            else if (before.Security is null || before.Status != zone.Status || before.Paused != (zone.Paused ?? false)
                || !string.Equals(before.PlanLegacyId, zone.Plan?.LegacyId, StringComparison.Ordinal) || !string.Equals(before.Type, zone.Type, StringComparison.Ordinal))
            {
                Choose(zone.Id!, "list_changed");
            }
            else if (changes.TypesInFull.Contains("zones"))
            {
                Choose(zone.Id!, "not_understood");
            }
            else if (changes.Zones.ContainsKey(zone.Id!))
            {
                Choose(zone.Id!, "logged_change");
            }
        }
        state.Fallbacks.AddRange(changes.NotUnderstood.Where(n => n.Type == "zones").Select(n => n.Sentence));
        var candidates = monitored.Where(z => !chosen.Contains(z.Id!))
            .Select(z => (z.Id!, previousZones[z.Id!].ObservedAt ?? previous.InfraSyncedAt ?? DateTimeOffset.MinValue)).ToList();
        foreach (var id in FreshnessRule.Due(candidates, state.Now - state.PreviousCommittedAt, maxAge, state.Now))
        {
            Choose(id, "freshness");
        }
        state.Carried = monitored.Count - chosen.Count;

        // Account-level rulesets and Logpush jobs: re-read when logged, unreadable, new, or the oldest for freshness.
        var accountsChosen = new HashSet<string>(StringComparer.Ordinal);
        var observed = state.PreviousRead?.AccountsObservedAt;
        foreach (var accountId in accountIds)
        {
            var why = unreadable.Contains(accountId) ? "fallback"
                : observed is null || !observed.ContainsKey(accountId) ? "new"
                : changes.AccountRulesets.Contains(accountId) ? "logged_change"
                : null;
            if (why is not null && accountsChosen.Add(accountId))
            {
                state.Count(why, AccountRulesetsResource);
            }
        }
        var accountCandidates = accountIds.Where(id => !accountsChosen.Contains(id))
            .Select(id => (id, observed!.GetValueOrDefault(id))).ToList();
        foreach (var id in FreshnessRule.Due(accountCandidates, state.Now - state.PreviousCommittedAt, maxAge, state.Now))
        {
            accountsChosen.Add(id);
            state.Count("freshness", AccountRulesetsResource);
        }
        foreach (var id in accountIds.Where(id => !accountsChosen.Contains(id)))
        {
            state.AccountsObservedAt[id] = observed!.GetValueOrDefault(id);
        }
        return (chosen.Contains, accountsChosen.Contains);
    }
}
