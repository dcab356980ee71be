using Vigil.Core.Inventory;

namespace Vigil.Core.Tests.Inventory;

public sealed class SsoDeclarationTests
{
    [Theory]
    [InlineData(" Example.COM ", "example.com")]
    [InlineData("@corp.example.", "corp.example")]
    [InlineData("sub-1.corp.example", "sub-1.corp.example")]
    [InlineData("localhost", null)]
    [InlineData("not a domain", null)]
    [InlineData("a..example", null)]
    [InlineData("", null)]
    public void Domains_are_normalised_or_refused(string typed, string? expected)
    {
        Assert.Equal(expected, SsoDeclaration.NormaliseDomain(typed));
    }

    [Fact]
    public void A_declaration_covers_exactly_its_domains_ignoring_case()
    {
        var declaration = new SsoDeclaration("acc-1", ["acme.example"], "Okta", DateTimeOffset.UnixEpoch);

        Assert.Equal("acme.example", declaration.Covering("ACME.example"));
        Assert.Null(declaration.Covering("eu.acme.example"));
        Assert.Null(declaration.Covering(null));
    }

    [Theory]
    [InlineData("Ana@Acme.Example", "acme.example", "Ana@Acme.Example")]
    [InlineData("", null, "member m1")]
    [InlineData("no-at-sign", null, "no-at-sign")]
    public void Members_give_their_email_domain_and_a_label_even_without_email(string email, string? domain, string label)
    {
        var member = new AccountMember("m1", "acc-1", null, email, null, null, MembershipStatus.Accepted, null, [], []);

        Assert.Equal((domain, label), (member.EmailDomain, member.Label));
    }
}
