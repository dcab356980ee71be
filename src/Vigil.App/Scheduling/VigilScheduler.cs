using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Quartz.Extensibility;
using Vigil.Core.Organisations;
using Vigil.Core.Settings;
using Vigil.Storage;

namespace Vigil.App.Scheduling;

/// <summary>How the scheduler runs. The defaults suit production; tests shorten the intervals through the environment.</summary>
public sealed record SchedulerSettings
{
    /// <summary>Organisations synced at the same time by this process (<c>vigil worker --concurrency</c>). Default 4.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>False: this process only schedules and enqueues (<c>vigil serve --no-jobs</c>, <c>vigil sync --enqueue</c>); workers run the jobs.</summary>
    public bool RunJobs { get; init; } = true;

    /// <summary>How often a clustered scheduler checks in; a process silent for about this long plus 7.5 s is taken for dead
    /// and its running jobs are recovered elsewhere. Default 7.5 s (Quartz's). VIGIL_CLUSTER_CHECKIN_MS overrides it.</summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromMilliseconds(7500);

    /// <summary>How often each organisation's <c>sync_interval_hours</c> is read into its schedule. Default 30 s.
    /// VIGIL_SCHEDULE_RECONCILE_MS overrides it.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What one hour of <c>sync_interval_hours</c> lasts. Always an hour, except in tests (VIGIL_SCHEDULE_HOUR_SECONDS).</summary>
    public TimeSpan Hour { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The settings with the environment's overrides (tests and the bench shorten the intervals).</summary>
    public static SchedulerSettings FromEnvironment(int concurrency, bool runJobs)
    {
        var settings = new SchedulerSettings { Concurrency = concurrency, RunJobs = runJobs };
        if (Positive("VIGIL_CLUSTER_CHECKIN_MS") is { } checkin)
        {
            settings = settings with { CheckinInterval = TimeSpan.FromMilliseconds(checkin) };
        }
        if (Positive("VIGIL_SCHEDULE_RECONCILE_MS") is { } reconcile)
        {
            settings = settings with { ReconcileInterval = TimeSpan.FromMilliseconds(reconcile) };
        }
        if (Positive("VIGIL_SCHEDULE_HOUR_SECONDS") is { } hour)
        {
            settings = settings with { Hour = TimeSpan.FromSeconds(hour) };
        }
        return settings;
    }

    private static long? Positive(string variable) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}

/// <summary>When an organisation's scheduled sync runs next; null when its schedule is off (or not yet set up).</summary>
/// <param name="LastRun">When the schedule last fired (Quartz's previous fire time); null before its first firing.</param>
public sealed record ScheduleState(int IntervalHours, DateTimeOffset? NextRun, DateTimeOffset? LastRun = null);

/// <summary>
/// The scheduler behind <c>vigil worker</c> and <c>vigil serve</c>: Quartz.NET, with its clustered ADO.NET job store in
/// Vigil's PostgreSQL (tables <c>qrtz_*</c>), or in memory on SQLite. One durable job per organisation, marked
/// <see cref="DisallowConcurrentExecutionAttribute"/> and requesting recovery: a trigger that comes due while the
/// organisation syncs waits for it (never a second sync at once); the job of a process killed mid-sync is run again
/// by another once the dead one stops checking in. Two triggers per organisation at most: "schedule" (every
/// <c>sync_interval_hours</c>, read from the settings every <see cref="SchedulerSettings.ReconcileInterval"/>; missed
/// firings are skipped to the next one, never run twice) and "enqueue" (<c>vigil sync --enqueue</c>; fires once, as soon as a worker is free).
/// </summary>
public sealed partial class VigilScheduler : IAsyncDisposable
{
    /// <summary>Quartz's scheduler name: every process of one Vigil database forms one cluster under it.</summary>
    public const string ClusterName = "vigil";

    internal const string JobGroup = "sync";
    internal const string ScheduleGroup = "schedule";
    internal const string EnqueueGroup = "enqueue";
    internal const string OrganisationKey = "organisation_id";

    private readonly IScheduler _quartz;
    private readonly IVigilStore _database;
    private readonly SchedulerSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _reconciling = Task.CompletedTask;

    private VigilScheduler(IScheduler quartz, IVigilStore database, SchedulerSettings settings, TimeProvider time, ILogger logger)
    {
        _quartz = quartz;
        _database = database;
        _settings = settings;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether this process runs the sync jobs (false: it only schedules and enqueues them).</summary>
    public bool RunsJobs => _settings.RunJobs;

    /// <summary>The Quartz instance id, which a run records as its <c>worker</c>.</summary>
    public string InstanceId => WorkerIdentity.Name;

    /// <summary>
    /// Builds the scheduler over the database and, when <paramref name="runner"/> is given and
    /// <see cref="SchedulerSettings.RunJobs"/>, starts running jobs and keeping schedules in line with the settings.
    /// </summary>
    /// <param name="postgres">The Npgsql connection string of the Vigil database; null on SQLite (an in-memory scheduler in this process).</param>
    /// <param name="keepSchedules">Read the settings into the schedules now and every <see cref="SchedulerSettings.ReconcileInterval"/> (serve and workers; not a one-off enqueue).</param>
    public static async Task<VigilScheduler> StartAsync(IVigilStore database, string? postgres, SchedulerSettings settings, SyncJobRunner? runner,
        ILoggerFactory logging, TimeProvider time, bool keepSchedules, CancellationToken ct)
    {
        if (settings.Concurrency < 1)
        {
            throw new InvalidRequestException("the concurrency must be at least 1");
        }

        var quartz = await QuartzSchedulerBuilder.Create(q =>
        {
            q.Services.AddSingleton(logging);
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = ClusterName;
                o.InstanceId = WorkerIdentity.Name;
                // A shutdown (SIGTERM) cancels the syncs in flight: the stage being read commits nothing, the run is
                // recorded cancelled, and the firing goes back to the cluster (RecoverFiringsCancelledByShutdown).
                o.ShutdownJobInterruption = ShutdownJobInterruption.Always;
                // Enqueued syncs come from other processes, which cannot wake this one: look for due triggers every second.
                o.IdleWaitTime = TimeSpan.FromSeconds(1);
            });
            q.UseDefaultThreadPool(settings.Concurrency);
            q.UseTimeProvider(time);
            q.UseJobFactory(new JobFactory(runner));
            if (postgres is null)
            {
                q.UseInMemoryStore(_ => { });
                return;
            }
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(postgres);
                store.UseSystemTextJsonSerializer(_ => { });
                store.UseClustering(c =>
                {
                    c.CheckinInterval = settings.CheckinInterval;
                    c.CheckinMisfireThreshold = settings.CheckinInterval;
                });
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = "qrtz_";
                    o.StoreJobDataAsStrings = true;
                    o.RecoverFiringsCancelledByShutdown = true;
                });
            });
        }).BuildScheduler(ct);

        var scheduler = new VigilScheduler(quartz, database, settings, time, logging.CreateLogger("Vigil.Scheduling"));
        if (keepSchedules)
        {
            await scheduler.ReconcileAsync(ct);
        }
        if (runner is not null && settings.RunJobs)
        {
            await quartz.Start(ct);
        }
        if (keepSchedules)
        {
            scheduler._reconciling = scheduler.KeepSchedulesAsync(scheduler._stop.Token);
        }
        return scheduler;
    }

    /// <summary>
    /// Puts one sync of the organisation on the cluster's queue; a worker runs it as soon as one is free and the
    /// organisation is not syncing. False when one is already queued (or running from the queue): one is enough.
    /// </summary>
    public async Task<bool> EnqueueAsync(Organisation organisation, CancellationToken ct)
    {
        await EnsureJobAsync(organisation, ct);
        var trigger = TriggerBuilder.Create(_time)
            .WithIdentity(organisation.Id, EnqueueGroup)
            .ForJob(JobKeyOf(organisation.Id))
            .WithDescription($"enqueued sync of {organisation.Name}")
            .StartNow()
            // Late (every worker busy, or all stopped): run it once when one is free, however late.
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        try
        {
            await _quartz.ScheduleJob(trigger, cancellationToken: ct);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>The organisation's schedule as the cluster holds it.</summary>
    public async Task<ScheduleState> ScheduleOfAsync(Organisation organisation, CancellationToken ct)
    {
        await using var store = _database.ForOrganisation(organisation);
        var hours = (await OrganisationSettings.LoadAsync(store, ct)).SyncIntervalHours;
        var trigger = await _quartz.GetTrigger(new TriggerKey(organisation.Id, ScheduleGroup), ct);
        return new ScheduleState(hours, trigger?.NextFireTimeUtc, trigger?.PreviousFireTimeUtc);
    }

    /// <summary>
    /// Brings every organisation's "schedule" trigger in line with its <c>sync_interval_hours</c>: created, changed, or
    /// removed (0, no connection, or the organisation is gone). The first firing comes one interval after the
    /// organisation's last run started (now, for one that never ran), so a restart neither skips nor doubles a sync.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken ct)
    {
        var organisations = await _database.ListOrganisationsAsync(ct);
        foreach (var organisation in organisations)
        {
            await using var store = _database.ForOrganisation(organisation);
            var hours = (await OrganisationSettings.LoadAsync(store, ct)).SyncIntervalHours;
            var key = new TriggerKey(organisation.Id, ScheduleGroup);
            var existing = await _quartz.GetTrigger(key, ct) as ISimpleTrigger;
            if (hours == 0 || await store.CountConnectionsAsync(organisation.Id, ct) == 0)
            {
                if (existing is not null)
                {
                    await _quartz.UnscheduleJob(key, ct);
                }
                continue;
            }

            var interval = _settings.Hour * hours;
            if (existing is not null && existing.RepeatInterval == interval)
            {
                continue;
            }

            var lastStarted = (await store.ListRunsAsync(1, ct)).FirstOrDefault()?.StartedAt ?? _time.GetUtcNow();
            var first = lastStarted + interval;
            var now = _time.GetUtcNow();
            await EnsureJobAsync(organisation, ct);
            var trigger = TriggerBuilder.Create(_time)
                .WithIdentity(key)
                .ForJob(JobKeyOf(organisation.Id))
                .WithDescription($"sync of {organisation.Name} every {hours} h")
                .StartAt(first > now ? first : now)
                // A firing missed (every worker down, or the previous sync still running) is dropped for the next one.
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
            try
            {
                if (existing is null)
                {
                    await _quartz.ScheduleJob(trigger, cancellationToken: ct);
                }
                else
                {
                    await _quartz.RescheduleJob(key, trigger, ct);
                }
                LogScheduled(_logger, organisation.Name, hours);
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another process of the cluster scheduled it at the same moment.
            }
        }

        // Organisations removed since: their jobs (and triggers) go too.
        var known = organisations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var job in await _quartz.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(JobGroup), ct))
        {
            if (!known.Contains(job.Name))
            {
                await _quartz.DeleteJob(job, ct);
            }
        }
    }

    private async Task KeepSchedulesAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_settings.ReconcileInterval, _time, ct);
                await ReconcileAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be restarting: keep the old schedules and try again next time.
                LogReconcileFailed(_logger, e.Message);
            }
        }
    }

    private async Task EnsureJobAsync(Organisation organisation, CancellationToken ct)
    {
        var key = JobKeyOf(organisation.Id);
        if (await _quartz.Exists(key, ct))
        {
            return;
        }
        var job = JobBuilder.Create<OrganisationSyncJob>()
            .WithIdentity(key)
            .WithDescription(organisation.Name)
            .UsingJobData(OrganisationKey, organisation.Id)
            .StoreDurably()
            .RequestRecovery()
            .Build();
        try
        {
            await _quartz.AddJob(job, cancellationToken: ct);
        }
        catch (ObjectAlreadyExistsException)
        {
            // Added by another process at the same moment.
        }
    }

    internal static JobKey JobKeyOf(string organisationId) => new(organisationId, JobGroup);

    /// <summary>Stops: syncs in flight are cancelled (each stage commits whole or not at all) and handed back to the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reconciling;
        await _quartz.Shutdown(waitForJobsToComplete: true);
        _stop.Dispose();
    }

    private sealed class JobFactory(SyncJobRunner? runner) : IJobFactory
    {
        public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new JobScope(new OrganisationSyncJob(runner ?? throw new InvalidOperationException("this process only enqueues syncs")), null));

        public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {Organisation}: scheduled sync every {Hours} h")]
    private static partial void LogScheduled(ILogger logger, string organisation, int hours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not bring the schedules up to date: {Reason}")]
    private static partial void LogReconcileFailed(ILogger logger, string reason);
}

/// <summary>One organisation's sync, as the scheduler fires it: "schedule" or "enqueue", the trigger the run records.</summary>
[DisallowConcurrentExecution]
internal sealed class OrganisationSyncJob(SyncJobRunner runner) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var organisationId = context.MergedJobDataMap.GetString(VigilScheduler.OrganisationKey)
            ?? context.JobDetail.Key.Name;
        // A recovered firing (its worker died) keeps the trigger it was fired by.
        var group = context.Recovering && context.RecoveringTriggerKey is { } original ? original.Group : context.Trigger.Key.Group;
        var trigger = group == VigilScheduler.EnqueueGroup ? "enqueue" : "schedule";
        await runner.RunAsync(organisationId, trigger, cancellationToken);
    }
}
