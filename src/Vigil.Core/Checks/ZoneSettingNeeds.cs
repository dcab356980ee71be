namespace Vigil.Core.Checks;

/// <summary>
/// A check that reads zone settings beyond the core ones the sync always reads (ssl, min_tls_version, always_use_https,
/// security_header, waf). It names them, so the sync reads exactly those (one call each once the batch settings call
/// has ended) and stores them in <see cref="Inventory.ZoneFeatures.Settings"/>.
/// </summary>
public interface INeedsZoneSettings
{
    /// <summary>Cloudflare setting ids, e.g. "tls_1_3".</summary>
    IReadOnlyList<string> ZoneSettings { get; }
}

public static class ZoneSettingNeeds
{
    /// <summary>The setting ids the given checks read beyond the core ones, each once, in catalogue order.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<ICheck> checks) =>
        [.. checks.OfType<INeedsZoneSettings>().SelectMany(c => c.ZoneSettings).Distinct(StringComparer.Ordinal)];
}
