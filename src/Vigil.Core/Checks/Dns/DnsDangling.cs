using Vigil.Core.Frameworks;
using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Dns;

/// <summary>No CNAME points where someone else could take the name over: at a takeover-prone hosting service, or at a missing name in a zone Vigil knows.</summary>
internal sealed class DnsDangling : ICheck
{
    public static CheckDefinition Definition { get; } = new(
        Id: "cloudflare.dns-dangling",
        Title: "Zone has no CNAME records at risk of subdomain takeover",
        Severity: Severity.High,
        Asserts: "No CNAME record of an active zone whose DNS Cloudflare serves points at a hosting service where a deleted resource's name can be claimed by anyone (S3 website endpoints, Azure App Service, Cloud Services, Traffic Manager, Blob Storage, Heroku, GitHub Pages and the others listed in HostingSuffixes), unless verified and excused; and no CNAME points at a name missing from a zone Vigil syncs (resolved against the synced records, never by live DNS lookups). Each such record is a finding named by the record's name. Partial and secondary zones are skipped.",
        Remediation: "Confirm the hosting resource the CNAME points at still exists and belongs to you; delete the CNAME in Cloudflare dashboard > DNS > Records if it does not, or record an exception once verified.",
        Frameworks: [Soc2.CC6_6, Soc2.CC7_1, Iso27001.A8_9, Iso27001.A8_20, PciDss.R2_2, PciDss.R6_4_1],
        Needs: DataNeeds.Zones | DataNeeds.DnsRecords);

    CheckDefinition ICheck.Definition => Definition;

    public IEnumerable<Finding> Evaluate(EvaluationContext context)
    {
        var zonesByName = context.Snapshot.Zones.GroupBy(z => z.Name.TrimEnd('.'), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var namesByZone = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        HashSet<string> NamesOf(Zone zone)
        {
            if (!namesByZone.TryGetValue(zone.Id, out var names))
            {
                namesByZone[zone.Id] = names = context.DnsRecordsOf(zone.Id).Select(r => r.Name.TrimEnd('.')).ToHashSet(StringComparer.OrdinalIgnoreCase);
            }
            return names;
        }
        return DnsScope.Evaluate(context, (zone, records) => Judge(zone, records, zonesByName, NamesOf));
    }

    private static IEnumerable<Finding> Judge(Zone zone, IReadOnlyList<DnsRecord> records, Dictionary<string, Zone> zonesByName, Func<Zone, HashSet<string>> namesOf)
    {
        var cnames = 0;
        var flagged = false;
        foreach (var record in records.Where(r => r.IsType("CNAME")))
        {
            cnames++;
            var target = record.Content.Trim().TrimEnd('.');
            if (KnownZoneOf(target, zonesByName) is { } targetZone)
            {
                if (targetZone.Security?.Features?.DnsRecordCount is null || Zone.ServesDnsElsewhere(targetZone.Type))
                {
                    flagged = true;
                    yield return DnsScope.Finding(zone, record, FindingStatus.Unknown,
                        $"CNAME {record.Name} in zone {zone.Name} points at {target} in zone {targetZone.Name}, whose records Vigil did not read, so it could not be resolved",
                        $"Grant the API token 'DNS Read' on {targetZone.Name} and run `vigil sync`.");
                }
                else if (!Resolves(target, namesOf(targetZone)))
                {
                    flagged = true;
                    yield return DnsScope.Finding(zone, record, FindingStatus.Fail,
                        $"CNAME {record.Name} in zone {zone.Name} points at {target}, which has no record in zone {targetZone.Name}: the CNAME dangles",
                        $"Delete the CNAME {record.Name} in {DnsScope.Dashboard(zone)}, or add the missing record {target} in zone {targetZone.Name}.");
                }
                continue;
            }
            if (HostingSuffixes.Match(target) is { } hosting)
            {
                flagged = true;
                yield return DnsScope.Finding(zone, record, FindingStatus.Fail,
                    $"CNAME {record.Name} in zone {zone.Name} points at {target} ({hosting.Provider}, *.{hosting.Suffix}): if that resource is deleted, anyone can claim the name and serve content as {record.Name}; a takeover risk to verify",
                    $"Confirm that {target} still exists and is yours; if not, delete the CNAME {record.Name} in {DnsScope.Dashboard(zone)}. Once verified, record an exception for {record.Name}.");
            }
        }
        if (!flagged)
        {
            yield return zone.Pass($"zone {zone.Name} has {cnames} CNAME record{(cnames == 1 ? "" : "s")}, none at a takeover-prone hosting service or a missing name in a zone Vigil syncs");
        }
    }

    /// <summary>The synced zone the name belongs to (the longest zone name it ends with); null when none.</summary>
    private static Zone? KnownZoneOf(string name, Dictionary<string, Zone> zonesByName)
    {
        // The name itself, then each parent, looked up without allocating a string per suffix.
        var lookup = zonesByName.GetAlternateLookup<ReadOnlySpan<char>>();
        var rest = name.AsSpan();
        while (rest.Contains('.'))
        {
            if (lookup.TryGetValue(rest, out var zone))
            {
                return zone;
            }
            rest = rest[(rest.IndexOf('.') + 1)..];
        }
        return null;
    }

    /// <summary>Whether a zone's records answer for the name: a record with that name, or a wildcard one level above it.</summary>
    private static bool Resolves(string name, HashSet<string> names)
    {
        if (names.Contains(name))
        {
            return true;
        }
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && names.Contains("*" + name[dot..]);
    }
}
