using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Vigil.Simulation;

/// <summary>Arguments of the standalone simulator program.</summary>
internal static class SimulatorCommandLine
{
    public const string Usage =
        "usage: CloudflareSimulator [--port N] [--scenario FILE] [--token VALUE] [--rate-limit N] [--window-seconds S] " +
        "[--latency-ms N] [--generate ACCOUNTS,MEMBERS,ZONES]   (env CF_SIM_TOKEN: extra read-all token)";

    public static bool TryParse(
        IReadOnlyList<string> args,
        string? tokenFromEnvironment,
        [NotNullWhen(true)] out Scenario? scenario,
        [NotNullWhen(true)] out SimulatorOptions? options,
        [NotNullWhen(false)] out string? error)
    {
        scenario = null;
        options = null;
        error = null;
        int port = 0, rateLimit = 1200, windowSeconds = 300, latencyMs = 0;
        string? scenarioPath = null, generate = null;
        var tokens = new List<string>();
        if (!string.IsNullOrWhiteSpace(tokenFromEnvironment))
        {
            tokens.Add(tokenFromEnvironment.Trim());
        }

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                error = $"missing value for {name}";
                return false;
            }

            var value = args[++i];
            var ok = name switch
            {
                "--port" => TryInt(value, out port),
                "--rate-limit" => TryInt(value, out rateLimit),
                "--window-seconds" => TryInt(value, out windowSeconds) && windowSeconds > 0,
                "--latency-ms" => TryInt(value, out latencyMs),
                "--scenario" => Assign(value, out scenarioPath),
                "--generate" => Assign(value, out generate),
                "--token" => Add(tokens, value),
                _ => false,
            };
            if (!ok)
            {
                error = $"bad option {name} {(name == "--token" ? "" : value)}".TrimEnd();
                return false;
            }
        }

        try
        {
            scenario = generate is not null ? Generate(generate) : scenarioPath is not null ? Scenario.FromFile(scenarioPath) : Scenario.Demo();
        }
        catch (Exception e) when (e is IOException or FormatException or System.Text.Json.JsonException or ArgumentException)
        {
            error = $"cannot load the scenario: {e.Message}";
            return false;
        }

        options = new SimulatorOptions
        {
            Port = port,
            RateLimitRequests = rateLimit,
            RateLimitWindow = TimeSpan.FromSeconds(windowSeconds),
            Latency = TimeSpan.FromMilliseconds(latencyMs),
            ExtraTokens = tokens,
        };
        return true;
    }

    private static Scenario Generate(string spec)
    {
        var parts = spec.Split(',');
        if (parts.Length != 3 || !TryInt(parts[0], out var accounts) || !TryInt(parts[1], out var members) || !TryInt(parts[2], out var zones))
        {
            throw new FormatException("--generate takes ACCOUNTS,MEMBERS,ZONES");
        }

        return ScenarioGenerator.Generate(accounts, members, zones);
    }

    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool Assign(string value, out string? target)
    {
        target = value;
        return true;
    }

    private static bool Add(List<string> tokens, string value)
    {
        tokens.Add(value);
        return value.Length > 0;
    }
}
