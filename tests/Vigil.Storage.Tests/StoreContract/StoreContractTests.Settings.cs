using Vigil.Core.Checks;
using Vigil.Core.Storage;

namespace Vigil.Storage.Tests.StoreContract;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Settings_are_absent_until_set_then_replaced_and_kept_across_opens()
    {
        await using (var store = await OpenAsync())
        {
            var settings = SettingsOf(store);
            Assert.Empty(await settings.ListSettingsAsync(Ct));

            await settings.SaveSettingAsync("timezone", "Europe/Berlin", Ct);
            await settings.SaveSettingAsync("max_data_age_hours", "24", Ct);
            await settings.SaveSettingAsync("timezone", "America/New_York", Ct);
        }

        await using (var reopened = await OpenAsync())
        {
            var stored = await SettingsOf(reopened).ListSettingsAsync(Ct);
            Assert.Equal(2, stored.Count);
            Assert.Equal("America/New_York", stored["timezone"]);
            Assert.Equal("24", stored["max_data_age_hours"]);
        }
    }

    [Fact]
    public async Task An_evaluation_keeps_the_age_and_last_failure_of_its_data()
    {
        await using var store = await OpenAsync();
        var data = new DataFreshness(
            new StageFreshness(Sample.Start, "The access stage of connection 'acme' failed and kept the previous data: HTTP 500"),
            new StageFreshness(null, null));
        var evaluation = new Evaluation("run-1", Sample.Start.AddHours(1),
        [
            new CheckResult("member_two_factor", CheckStatus.Pass,
                [new Finding(FindingStatus.Pass, "member", "m-1", "acc-1", "ada@example.com", "2FA on", null, Sample.Start)],
                ["access data from ...; the last sync of this stage failed: HTTP 500"]),
        ], data);

        await store.Evaluations.SaveEvaluationAsync(evaluation, Ct);

        Sample.AssertDeepEqual(evaluation, await store.Evaluations.LoadLatestEvaluationAsync("run-1", Ct));
    }

    private static ISettingsStore SettingsOf(StoreUnderTest store) =>
        store.Settings ?? throw new InvalidOperationException("this backend does not expose its settings store to the contract tests");
}
