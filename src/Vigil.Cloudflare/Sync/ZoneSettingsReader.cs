using Vigil.Cloudflare.Api;

namespace Vigil.Cloudflare.Sync;

/// <summary>
/// Reads the settings checks need for one connection's zones: the deprecated batch call while it answers, and once it
/// is known to have ended, exactly the settings the checks use, one call each. The ending is found by one zone (the
/// sync reads the first zone alone) and remembered on the connection, so later runs go straight to per-setting reads.
/// </summary>
/// <remarks>
/// The batch call passed its end of life (2026-09-15) and Cloudflare documents no error for the removed route, so any
/// answer that is not a success and not one of 401 (bad credential), 429 (rate limit), a 5xx (Cloudflare trouble) or
/// no answer at all "may mean ended": 400, 404, 405, 410, a 200 with success false, and 403 too, since a route can be
/// refused before it is found. The zone's settings are then read one by one; when one of those reads succeeds, the
/// batch call has ended for this connection. When they fail too (a deleted zone, a missing permission), their gaps
/// say why and the batch call is tried again for the next zone.
/// </remarks>
/// <param name="extraSettings">Settings the selected checks read beyond the core ones (<see cref="Core.Checks.ZoneSettingNeeds"/>):
/// the batch call carries them at no cost; once it has ended, each is one more call per zone.</param>
internal sealed class ZoneSettingsReader(CloudflareApiClient client, ApiSession session, bool batchEnded, Func<CancellationToken, Task> rememberEnded,
    IReadOnlyList<string>? extraSettings = null)
{
    private readonly IReadOnlyList<string> _extra = extraSettings ?? [];

    public const string BatchEndpoint = "zone_settings_batch";

    private int _remembering;
    private volatile bool _batchEnded = batchEnded;

    public bool BatchEnded => _batchEnded;

    /// <summary>True when a failed batch call may mean the route has ended: anything but 401, 429, a 5xx or no usable answer.</summary>
    public static bool MayBeEnded(CloudflareApiException ex) => ex.StatusCode is not (0 or 401 or 429) and < 500;

    public async Task<ZoneSettingValues> ReadAsync(string zoneId, SyncStageCollector collector, CancellationToken ct)
    {
        CloudflareApiException? batchFailure = null;
        if (!_batchEnded)
        {
            try
            {
                var batch = await client.GetZoneSettingsAsync(session, zoneId, ct).ConfigureAwait(false);
                collector.AddEvidence(batch.Raw);
                return ZoneSettingsMapper.Map(batch.Result ?? [], _extra);
            }
            catch (CloudflareApiException ex) when (MayBeEnded(ex))
            {
                batchFailure = ex;
            }
        }

        var settings = new List<ZoneSettingDto>();
        foreach (var settingId in ZoneSettingsMapper.Needed.Concat(_extra.Except(ZoneSettingsMapper.Needed, StringComparer.Ordinal)))
        {
            var what = $"GET /zones/{zoneId}/settings/{settingId}";
            ApiResponse<ZoneSettingDto> read;
            try
            {
                read = await client.GetZoneSettingAsync(session, zoneId, settingId, ct).ConfigureAwait(false);
            }
            catch (CloudflareApiException ex) when (batchFailure is { StatusCode: 403 } && ex.IsPermissionDenied
                && collector.TryRecordGap(ex, "zone_setting", zoneId, what))
            {
                // The batch call and the per-setting read are both refused: the credential lacks Zone Settings Read, and
                // the other settings of this zone would be refused the same way.
                return ZoneSettingsMapper.Map(settings, _extra);
            }
            catch (CloudflareApiException ex) when (collector.TryRecordGap(ex, "zone_setting", zoneId, what))
            {
                continue;
            }

            collector.AddEvidence(read.Raw);
            if (read.Result is { } setting)
            {
                settings.Add(setting);
            }
            if (batchFailure is not null)
            {
                await RememberEndedAsync(ct).ConfigureAwait(false);
            }
        }
        return ZoneSettingsMapper.Map(settings, _extra);
    }

    private async Task RememberEndedAsync(CancellationToken ct)
    {
        // Only the first zone to find out records it; the others read on one by one meanwhile.
        if (!_batchEnded && Interlocked.CompareExchange(ref _remembering, 1, 0) == 0)
        {
            _batchEnded = true;
            await rememberEnded(ct).ConfigureAwait(false);
        }
    }
}
