using System.Globalization;
using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Zones;

/// <summary>Browsers are told to use only HTTPS for the zone (HTTP Strict Transport Security).</summary>
internal sealed class ZoneHsts : ICheck
{
    private static readonly ZoneRead Read = ZoneRead.Setting("security_header");

    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.zone-hsts",
        Title: "Zone sends HTTP Strict Transport Security",
        Severity: Severity.Medium,
        Asserts: "Each active zone has HSTS enabled in its security_header setting with a max-age of at least 15,552,000 seconds (6 months; configurable) and includeSubDomains on, so browsers refuse plain-HTTP connections to it and its subdomains.",
        Remediation: "Enable HSTS in the Cloudflare dashboard under SSL/TLS > Edge Certificates > HTTP Strict Transport Security (HSTS), with a max-age of at least 6 months and Apply HSTS policy to subdomains on.",
        Frameworks: [Soc2.CC6_7, Soc2.CC7_1, Iso27001.A8_24, Iso27001.A8_26, Iso27001.A8_9, PciDss.R4_2_1],
        Needs: DataNeeds.Zones | DataNeeds.ZoneSettings);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var minimum = (long)context.Options.HstsMinMaxAge.TotalSeconds;
        return ZoneScope.Evaluate(context, Read, (zone, security) => security.Hsts is { } hsts ? Judge(zone, hsts, minimum) : ZoneScope.Unreadable(context, zone, Read));
    }

    private static Finding Judge(Zone zone, HstsPolicy hsts, long minimum)
    {
        // Built only for a finding that needs it: most zones pass.
        string Remediation() => $"Enable HSTS with a max-age of at least {minimum} seconds and Apply HSTS policy to subdomains on: Cloudflare dashboard > {zone.Name} > SSL/TLS > Edge Certificates > HTTP Strict Transport Security (HSTS).";
        var values = string.Create(CultureInfo.InvariantCulture,
            $"enabled {(hsts.Enabled ? "on" : "off")}, max-age {hsts.MaxAgeSeconds} seconds (minimum {minimum}), includeSubDomains {(hsts.IncludeSubdomains ? "on" : "off")}, preload {(hsts.Preload ? "on" : "off")}");
        if (!hsts.Enabled)
        {
            return zone.Fail($"zone {zone.Name} does not send HSTS (strict_transport_security is disabled): {values}", Remediation());
        }

        var problems = new List<string>();
        if (hsts.MaxAgeSeconds <= 0)
        {
            problems.Add($"max-age {hsts.MaxAgeSeconds} tells browsers to drop the policy");
        }
        else if (hsts.MaxAgeSeconds < minimum)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"max-age {hsts.MaxAgeSeconds} seconds is below {minimum}"));
        }

        if (!hsts.IncludeSubdomains)
        {
            problems.Add("includeSubDomains is off, so subdomains can still be reached over plain HTTP");
        }

        return problems.Count > 0
            ? zone.Fail($"zone {zone.Name} sends HSTS too weakly: {string.Join("; ", problems)} ({values})", Remediation())
            : zone.Pass($"zone {zone.Name} sends HSTS: {values}");
    }
}
