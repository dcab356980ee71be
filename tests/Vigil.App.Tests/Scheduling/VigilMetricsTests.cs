using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Vigil.App.Reviews;
using Vigil.App.Scheduling;
using Vigil.App.Tests.Queries;
using Vigil.Storage;

namespace Vigil.App.Tests.Scheduling;

/// <summary>/metrics' scrape-time gauges read from the database (issue 19): review items overdue per organisation.</summary>
public sealed partial class VigilMetricsTests : IAsyncLifetime
{
    private readonly SqliteStoreFactory _factory = new();
    private readonly FakeTimeProvider _time = new(QueryScenario.Now);
    private IVigilStore? _store;

    public async Task InitializeAsync()
    {
        _store = await _factory.OpenAsync(_time);
        await QueryScenario.SeedAsync(_store, _time);
    }

    public async Task DisposeAsync()
    {
        await _store!.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task Review_items_overdue_rises_when_a_campaign_passes_its_due_day_and_falls_as_items_are_decided()
    {
        var organisation = _store!.Organisation.Name;
        var due = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(3);
        var started = await new ReviewService(_store, _time).StartAsync(new StartCampaignRequest(Due: due, Owner: "grace@example.com"), CancellationToken.None);
        var items = started.Items.Count;
        Assert.True(items >= 2, $"the seeded organisation gives {items} review items");
        var metrics = new VigilMetrics(_store, _time);

        // Before and on the due day: nothing is overdue.
        Assert.Equal(0, await OverdueAsync(metrics, organisation));
        _time.SetUtcNow(new DateTimeOffset(due.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero));
        Assert.Equal(0, await OverdueAsync(metrics, organisation));

        // The day after: every undecided item is overdue.
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(items, await OverdueAsync(metrics, organisation));

        // A decision takes its item off the count.
        var first = started.Items[0];
        await new ReviewService(_store, _time).DecideAsync(new DecideRequest(started.Campaign.Id, first.MemberEmail, Core.Reviews.DecisionKind.Keep, [],
            "grace@example.com", "still needed", first.AccountId), CancellationToken.None);
        Assert.Equal(items - 1, await OverdueAsync(metrics, organisation));
    }

    private static async Task<double> OverdueAsync(VigilMetrics metrics, string organisation)
    {
        var text = await metrics.ExportAsync(CancellationToken.None);
        var match = Regex.Match(text, $"^vigil_review_items_overdue\\{{organisation=\"{Regex.Escape(organisation)}\"\\}} (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no vigil_review_items_overdue sample for {organisation}:\n{text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
