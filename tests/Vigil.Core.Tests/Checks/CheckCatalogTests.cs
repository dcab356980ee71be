using System.Text.RegularExpressions;
using Vigil.Core.Checks;
using Vigil.Core.Frameworks;

namespace Vigil.Core.Tests.Checks;

/// <summary>The conventions every check keeps, enforced over the whole catalogue by reflection.</summary>
public sealed partial class CheckCatalogTests
{
    public static TheoryData<string> CheckTypeNames() => [.. CheckCatalog.All.Select(c => c.GetType().Name)];

    private static ICheck Check(string typeName) => CheckCatalog.All.Single(c => c.GetType().Name == typeName);

    [Fact]
    public void Lists_every_check_class_in_core_once()
    {
        var declared = typeof(ICheck).Assembly.GetTypes().Where(t => typeof(ICheck).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract).ToHashSet();
        var listed = CheckCatalog.All.Select(c => c.GetType()).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(declared.OrderBy(t => t.Name), listed.ToHashSet().OrderBy(t => t.Name));
    }

    [Fact]
    public void Ids_are_unique()
    {
        var ids = CheckCatalog.All.Select(c => c.Definition.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [MemberData(nameof(CheckTypeNames))]
    public void Id_is_cloudflare_kebab_case_matching_the_class_name(string typeName)
    {
        var id = Check(typeName).Definition.Id;

        Assert.Matches(KebabId(), id);
        var normalisedId = id["cloudflare.".Length..].Replace("-", "", StringComparison.Ordinal);
        Assert.Equal(typeName, normalisedId, ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(CheckTypeNames))]
    public void Definition_is_complete(string typeName)
    {
        var check = Check(typeName);
        var definition = check.Definition;

        Assert.False(definition.Title.StartsWith("Ensure", StringComparison.OrdinalIgnoreCase), $"title '{definition.Title}' must state the compliant state");
        Assert.False(string.IsNullOrWhiteSpace(definition.Title));
        Assert.False(string.IsNullOrWhiteSpace(definition.Asserts));
        Assert.False(string.IsNullOrWhiteSpace(definition.Remediation));
        Assert.NotEqual(DataNeeds.None, definition.Needs);
        Assert.True(Enum.IsDefined(definition.Severity));
    }

    [Theory]
    [MemberData(nameof(CheckTypeNames))]
    public void Framework_references_come_from_the_catalogues_and_cover_both(string typeName)
    {
        var frameworks = Check(typeName).Definition.Frameworks;
        var catalogue = Soc2.All.Concat(Iso27001.All).Concat(PciDss.All).ToList();

        Assert.NotEmpty(frameworks);
        Assert.All(frameworks, control => Assert.Contains(control, catalogue));
        Assert.Contains(frameworks, c => c.Framework == Soc2.Name);
        Assert.Contains(frameworks, c => c.Framework == Iso27001.Name);
    }

    [Theory]
    [MemberData(nameof(CheckTypeNames))]
    public void The_static_definition_is_the_one_the_interface_exposes(string typeName)
    {
        var check = Check(typeName);
        var property = check.GetType().GetProperty("Definition", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);

        Assert.NotNull(property);
        Assert.Same(property.GetValue(null), check.Definition);
    }

    [Theory]
    [MemberData(nameof(CheckTypeNames))]
    public void Has_a_test_class_mirroring_its_namespace(string typeName)
    {
        var check = Check(typeName).GetType();
        var expected = check.FullName!.Replace("Vigil.Core.", "Vigil.Core.Tests.", StringComparison.Ordinal) + "Tests";

        Assert.NotNull(typeof(CheckCatalogTests).Assembly.GetType(expected));
    }

    [Fact]
    public void Catalogues_have_unique_control_ids()
    {
        Assert.Equal(Soc2.All.Count, Soc2.All.Select(c => c.Id).Distinct().Count());
        Assert.Equal(Iso27001.All.Count, Iso27001.All.Select(c => c.Id).Distinct().Count());
        Assert.Equal(PciDss.All.Count, PciDss.All.Select(c => c.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CheckTypeNames))]
    public void Framework_references_are_listed_once(string typeName)
    {
        var frameworks = Check(typeName).Definition.Frameworks;
        Assert.Equal(frameworks.Count, frameworks.Distinct().Count());
    }

    [Fact]
    public void The_catalogue_maps_to_the_controls_auditors_ask_about()
    {
        // Issue 20's list: the checks together give evidence for each of these.
        var referenced = CheckCatalog.All.SelectMany(c => c.Definition.Frameworks).ToHashSet();
        Assert.All(new[] { Soc2.CC6_1, Soc2.CC6_2, Soc2.CC6_3, Soc2.CC6_6, Soc2.CC6_7, Soc2.CC6_8, Soc2.CC7_1, Soc2.CC7_2 }, c => Assert.Contains(c, referenced));
        Assert.All(new[] { Iso27001.A5_15, Iso27001.A5_16, Iso27001.A5_18, Iso27001.A8_2, Iso27001.A8_5, Iso27001.A8_9, Iso27001.A8_15, Iso27001.A8_20,
            Iso27001.A8_21, Iso27001.A8_24, Iso27001.A8_26 }, c => Assert.Contains(c, referenced));
        // PCI DSS: 1.x, 2.2, 4.2.1, 6.4.1/6.4.2, 7.2.4, 8.2.x, 8.4.x and 10.x, each by at least one control of the family.
        Assert.All(new[] { PciDss.R2_2, PciDss.R4_2_1, PciDss.R6_4_1, PciDss.R6_4_2, PciDss.R7_2_4, PciDss.R8_2_1, PciDss.R8_2_5, PciDss.R8_4_1 },
            c => Assert.Contains(c, referenced));
        Assert.All(new[] { "1.", "8.2.", "8.4.", "10." }, family => Assert.Contains(referenced, c => c.Framework == PciDss.Name && c.Id.StartsWith(family, StringComparison.Ordinal)));
    }

    [Fact]
    public void Framework_coverage_lists_every_control_and_those_no_check_covers()
    {
        var pci = FrameworkCatalog.Find("PCI")!;
        var coverage = FrameworkCatalog.Coverage(pci, CheckCatalog.All);

        Assert.Equal(PciDss.All, coverage.Select(c => c.Control));
        Assert.Contains(coverage, c => c.Control == PciDss.R4_2_1 && c.Checks.Any(k => k is Vigil.Core.Checks.Zones.ZoneMinTls12));
        Assert.Contains(coverage, c => c.Control == PciDss.R9 && c.Checks.Count == 0);
        Assert.Equal(["soc2", "iso27001", "pci"], FrameworkCatalog.All.Select(f => f.Key));
        Assert.Null(FrameworkCatalog.Find("hipaa"));
    }

    [Fact]
    public void A_controls_outcome_is_its_worst_check_failing_before_unknown_before_excepted()
    {
        Assert.Equal(CheckStatus.Fail, FrameworkCatalog.StatusOf([CheckStatus.Pass, CheckStatus.Excepted, CheckStatus.Unknown, CheckStatus.Fail]));
        Assert.Equal(CheckStatus.Unknown, FrameworkCatalog.StatusOf([CheckStatus.Excepted, CheckStatus.Unknown, CheckStatus.Pass]));
        Assert.Equal(CheckStatus.Excepted, FrameworkCatalog.StatusOf([CheckStatus.Pass, CheckStatus.Excepted]));
        Assert.Equal(CheckStatus.Pass, FrameworkCatalog.StatusOf([CheckStatus.Pass]));
    }

    [Fact]
    public void Catalogues_list_every_declared_control()
    {
        static IEnumerable<object?> Fields(Type type) =>
            type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                .Where(f => f.FieldType == typeof(FrameworkControl)).Select(f => f.GetValue(null));

        Assert.Equal(Fields(typeof(Soc2)).Count(), Soc2.All.Count);
        Assert.Equal(Fields(typeof(Iso27001)).Count(), Iso27001.All.Count);
        Assert.Equal(Fields(typeof(PciDss)).Count(), PciDss.All.Count);
    }

    [Fact]
    public void Needs_of_all_checks_cover_every_synced_kind_of_data()
    {
        var needs = CheckCatalog.NeedsOf(CheckCatalog.All);

        foreach (var flag in Enum.GetValues<DataNeeds>().Where(f => f is not (DataNeeds.None or DataNeeds.Roles)))
        {
            Assert.True(needs.HasFlag(flag), $"no check needs {flag}");
        }
    }

    [Fact]
    public void Finds_checks_by_id_case_insensitively()
    {
        Assert.IsType<Vigil.Core.Checks.Zones.ZoneMinTls12>(CheckCatalog.Find("Cloudflare.Zone-Min-TLS-1-2"));
        Assert.Null(CheckCatalog.Find("cloudflare.nope"));
    }

    [GeneratedRegex("^cloudflare\\.[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabId();
}
