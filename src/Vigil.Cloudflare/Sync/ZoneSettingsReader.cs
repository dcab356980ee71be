using Vigil.Cloudflare.Api;

namespace Vigil.Cloudflare.Sync;

/// <summary>
/// Reads the settings checks need for one connection's zones: the deprecated batch call while it answers, and once it
/// answers as ended, exactly the six settings the checks use, one call each. The ending is found by one call (the sync
/// reads the first zone alone) and remembered on the connection, so later runs go straight to per-setting reads.
/// </summary>
internal sealed class ZoneSettingsReader(CloudflareApiClient client, ApiSession session, bool batchEnded, Func<CancellationToken, Task> rememberEnded)
{
    public const string BatchEndpoint = "zone_settings_batch";

    private volatile bool _batchEnded = batchEnded;

    public bool BatchEnded => _batchEnded;

    /// <summary>404 with "no route" codes, 410 Gone, or 400/405/501 with "no route": the batch call is no longer served.</summary>
    public static bool IsEnded(CloudflareApiException ex) =>
        ex.StatusCode == 410
        || (ex.StatusCode is 400 or 404 or 405 or 501 && (ex.HasCode(7000, 7003) || ex.Errors.Count == 0));

    public async Task<ZoneSettingValues> ReadAsync(string zoneId, SyncStageCollector collector, CancellationToken ct)
    {
        if (!_batchEnded)
        {
            try
            {
                var batch = await client.GetZoneSettingsAsync(session, zoneId, ct).ConfigureAwait(false);
                collector.AddEvidence(batch.Raw);
                return ZoneSettingsMapper.Map(batch.Result ?? []);
            }
            catch (CloudflareApiException ex) when (IsEnded(ex))
            {
                if (!_batchEnded)
                {
                    _batchEnded = true;
                    await rememberEnded(ct).ConfigureAwait(false);
                }
            }
            catch (CloudflareApiException ex) when (collector.TryRecordGap(ex, "zone_setting", zoneId, $"GET /zones/{zoneId}/settings"))
            {
                return ZoneSettingsMapper.Map([]);
            }
        }

        var settings = new List<ZoneSettingDto>();
        foreach (var settingId in ZoneSettingsMapper.Needed)
        {
            var read = await collector.ReadOrGapAsync(
                () => client.GetZoneSettingAsync(session, zoneId, settingId, ct),
                "zone_setting", zoneId, $"GET /zones/{zoneId}/settings/{settingId}").ConfigureAwait(false);
            if (read?.Result is { } setting)
            {
                settings.Add(setting);
            }
        }
        return ZoneSettingsMapper.Map(settings);
    }
}
