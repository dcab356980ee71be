using Vigil.Core.Configuration;
using Vigil.Storage.Configuration;

namespace Vigil.Storage.Tests.Configuration;

public sealed class VigilYamlTests
{
    private const string Example = """
        # Acme's Vigil configuration
        checks:
          cloudflare.zone-hsts: {min_max_age_days: 365}
          cloudflare.zone-waf-managed:
            accept_scoped: true
          enabled: [access, zones, dns]
        exceptions:
          - check: cloudflare.zone-min-tls-1-2
            resource: pos.example.com        # the POS terminals' zone
            reason: "Legacy POS terminals need TLS 1.0"
            expires: 2027-06-30
            approved_by: ciso@example.com
          - check: cloudflare.member-2fa-enabled
            resource: kiosk@example.com
            reason: Shared kiosk account, hardware key on order
            expires: 2026-12-31
            approved_by: ciso@example.com
        """;

    [Fact]
    public void Reads_thresholds_the_enabled_checks_and_exceptions_with_their_lines()
    {
        var config = VigilYaml.Parse(Example, "/home/me/.vigil/vigil.yaml");

        Assert.Equal("/home/me/.vigil/vigil.yaml", config.Source);
        var hsts = config.Settings.Single(s => s.SettingKey == "hsts_min_max_age_seconds");
        Assert.Equal(("31536000", 3), (hsts.Value, hsts.Line));
        Assert.Equal("true", config.Settings.Single(s => s.SettingKey == "waf_accept_scoped").Value);
        Assert.Equal("all", config.Settings.Single(s => s.SettingKey == "checks.enabled").Value);
        Assert.Equal(2, config.Exceptions.Count);
        var first = config.Exceptions[0];
        Assert.Equal(new CheckException("cloudflare.zone-min-tls-1-2", "pos.example.com", "Legacy POS terminals need TLS 1.0", new DateOnly(2027, 6, 30), "ciso@example.com", 8), first);
    }

    [Fact]
    public void Empty_text_is_an_empty_configuration()
    {
        Assert.Empty(VigilYaml.Parse("").Exceptions);
        Assert.Empty(VigilYaml.Parse("# nothing yet\n").Settings);
        Assert.Empty(VigilYaml.Parse("exceptions:\nchecks:\n").Exceptions);
    }

    [Theory]
    [InlineData("checks:\n  cloudflare.zone-hsts: {min_max_age_days: 180}\n  cloudflare.super-admins-boundd: {max: 4}\n", 3, 3, "unknown check 'cloudflare.super-admins-boundd'")]
    [InlineData("checks:\n  cloudflare.zone-hsts: {max_age: 180}\n", 2, 26, "unknown key 'max_age' for cloudflare.zone-hsts")]
    [InlineData("checks:\n  cloudflare.zone-dnssec: {strict: true}\n", 2, 28, "cloudflare.zone-dnssec has no thresholds")]
    [InlineData("checks:\n  cloudflare.zone-hsts: {min_max_age_days: -5}\n", 2, 44, "is not a whole number")]
    [InlineData("checks:\n  enabled: [access, dnz]\n", 2, 12, "'dnz' is neither a check id nor a family")]
    [InlineData("check:\n  x: 1\n", 1, 1, "unknown key 'check'")]
    [InlineData("exceptions:\n  - check: cloudflare.nope\n    resource: a\n    reason: b\n    expires: 2027-01-01\n    approved_by: c@d.example\n", 2, 12, "unknown check 'cloudflare.nope'")]
    [InlineData("exceptions:\n  - check: cloudflare.zone-hsts\n    resource: a\n    reason: b\n    expires: 2027-13-01\n    approved_by: c@d.example\n", 5, 14, "not a date YYYY-MM-DD")]
    [InlineData("exceptions:\n  - check: cloudflare.zone-hsts\n    resource: a\n    reason: b\n    expires: 2027-01-01\n    approved_by: someone\n", 6, 18, "is not an email address")]
    [InlineData("exceptions:\n  - check: cloudflare.zone-hsts\n    resource: a\n    expires: 2027-01-01\n    approved_by: c@d.example\n", 2, 5, "lacks 'reason'")]
    [InlineData("exceptions:\n  - check: cloudflare.zone-hsts\n    resource: a\n    reason: b\n    expires: 2027-01-01\n    approved_by: c@d.example\n    ticket: SEC-1\n", 7, 5, "unknown key 'ticket'")]
    [InlineData("exceptions:\n  - check: cloudflare.zone-hsts\n    resource: a\n    reason: b\n    expires: 2027-01-01\n    approved_by: c@d.example\n  - check: cloudflare.zone-hsts\n    resource: A\n    reason: c\n    expires: 2027-02-01\n    approved_by: c@d.example\n", 7, 5, "the first is on line 2")]
    [InlineData("exceptions: {check: x}\n", 1, 13, "'exceptions' is a list")]
    [InlineData("checks:\n  cloudflare.zone-hsts: {min_max_age_days: 180\n", 3, 1, "not valid YAML")]
    [InlineData("checks:\n  cloudflare.zone-hsts: 1\n  cloudflare.zone-hsts: 2\n", 3, 3, "not valid YAML")]
    public void Errors_name_the_line_and_column(string text, int line, int column, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => VigilYaml.Parse(text, "vigil.yaml"));

        Assert.Contains(problem, e.Message);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith($"vigil.yaml line {line}, column {column}: ", e.Message);
    }

    [Fact]
    public void Adding_an_exception_keeps_the_rest_of_the_file_as_it_was()
    {
        var added = VigilYaml.AddException(Example, new CheckException("cloudflare.zone-hsts", "old \"app\".example.com", "Legacy\tapp", new DateOnly(2027, 1, 31), "ciso@example.com"));

        Assert.StartsWith(Example.TrimEnd() + "\n  - check: cloudflare.zone-hsts\n", added);
        Assert.Contains("# the POS terminals' zone", added);
        var config = VigilYaml.Parse(added);
        Assert.Equal(3, config.Exceptions.Count);
        Assert.Equal(("old \"app\".example.com", "Legacy\tapp", 18), (config.Exceptions[2].Resource, config.Exceptions[2].Reason, config.Exceptions[2].Line));
    }

    [Theory]
    [InlineData("")]
    [InlineData("checks:\n  cloudflare.zone-hsts: {min_max_age_days: 180}\n")]
    [InlineData("checks:\n  cloudflare.zone-hsts: {min_max_age_days: 180}\nexceptions: []\n")]
    [InlineData("exceptions:\nchecks:\n  cloudflare.zone-hsts: {min_max_age_days: 180}\n")]
    public void Adding_to_a_file_without_exceptions_creates_the_list(string text)
    {
        var added = VigilYaml.AddException(text, new CheckException("cloudflare.zone-hsts", "a.example", "why", new DateOnly(2027, 1, 31), "ciso@example.com"));

        var config = VigilYaml.Parse(added);
        Assert.Equal("a.example", Assert.Single(config.Exceptions).Resource);
        Assert.Equal(text.Contains("min_max_age_days", StringComparison.Ordinal) ? 1 : 0, config.Settings.Count);
    }

    [Fact]
    public void Adding_a_second_exception_for_the_same_check_and_resource_is_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => VigilYaml.AddException(Example,
            new CheckException("cloudflare.zone-min-tls-1-2", "POS.example.com", "again", new DateOnly(2027, 1, 31), "ciso@example.com")));

        Assert.Contains("the first is on line 8", e.Message);
    }

    [Fact]
    public void Removing_an_exception_removes_only_its_lines()
    {
        var removed = VigilYaml.RemoveException(Example, "cloudflare.zone-min-tls-1-2", "pos.example.com");

        var config = VigilYaml.Parse(removed);
        Assert.Equal("kiosk@example.com", Assert.Single(config.Exceptions).Resource);
        Assert.DoesNotContain("pos.example.com", removed);
        Assert.Contains("# Acme's Vigil configuration", removed);
        Assert.Equal(Example.Split('\n').Length - 5, removed.TrimEnd('\n').Split('\n').Length);

        var both = VigilYaml.RemoveException(removed, "CLOUDFLARE.member-2fa-enabled", "Kiosk@example.com");
        Assert.Empty(VigilYaml.Parse(both).Exceptions);
        Assert.Equal(3, VigilYaml.Parse(both).Settings.Count);
    }

    [Fact]
    public void Removing_an_exception_that_does_not_exist_is_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => VigilYaml.RemoveException(Example, "cloudflare.zone-hsts", "pos.example.com"));
        Assert.Contains("no exception for check cloudflare.zone-hsts and resource pos.example.com", e.Message);
    }

    [Fact]
    public void The_example_of_the_issue_sets_the_super_admin_bound()
    {
        var config = VigilYaml.Parse("checks:\n  cloudflare.zone-hsts: {min_max_age_days: 180}\n  cloudflare.super-admins-bounded: {max: 4}\n", "vigil.yaml");

        Assert.Equal("4", config.Settings.Single(s => s.SettingKey == "max_super_admins").Value);
        Assert.Equal("15552000", config.Settings.Single(s => s.SettingKey == "hsts_min_max_age_seconds").Value);
    }
}
