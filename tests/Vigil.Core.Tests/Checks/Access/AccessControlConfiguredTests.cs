using Vigil.Core.Checks;
using Vigil.Core.Checks.Access;
using Vigil.Core.Systems;
using Vigil.Core.Tests.TestSupport;
using static Vigil.Core.Tests.TestSupport.Staff;

namespace Vigil.Core.Tests.Checks.Access;

public sealed class AccessControlConfiguredTests
{
    private readonly AccessControlConfigured _check = new();

    [Fact]
    public void Passes_when_cloudflare_is_registered_with_allowed_roles()
    {
        var result = _check.Run(Context(new SnapshotBuilder().Build(), system: Cloudflare("engineer", "sre=Administrator,DNS")));

        result.ShouldPassOverall();
        var finding = result.ShouldPass("cloudflare", containing: "engineer (any Cloudflare role)");
        Assert.Contains("sre (Administrator, DNS)", finding.Reason);
        Assert.Equal(ResourceTypes.System, finding.ResourceType);
    }

    [Fact]
    public void Fails_when_cloudflare_is_not_registered()
    {
        var finding = _check.Run(Context(new SnapshotBuilder().Build())).ShouldFail("cloudflare", containing: "not registered as a critical system");

        Assert.Contains("vigil systems add cloudflare", finding.Remediation);
    }

    [Fact]
    public void Fails_when_no_org_role_is_allowed()
    {
        var system = new CriticalSystem("cloudflare", [], Now);
        _check.Run(Context(new SnapshotBuilder().Build(), system: system)).ShouldFail("cloudflare", containing: "allows no org role");
    }

    [Fact]
    public void Does_not_depend_on_synced_data()
    {
        var snapshot = new SnapshotBuilder().WithoutAccessSync().WithoutInfraSync().Build();

        _check.Run(Context(snapshot, system: Cloudflare("engineer"))).ShouldPassOverall();
    }
}
