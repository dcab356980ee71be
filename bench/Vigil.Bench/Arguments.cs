using System.Globalization;

namespace Vigil.Bench;

/// <summary>The parent's options.</summary>
internal sealed record BenchArguments(IReadOnlyList<BenchCase> Cases)
{
    public const string Usage = """
        usage: Vigil.Bench [--size small|large|one-account|all] [--batch on|off|both] [--window-seconds N] [--quick]
          --size            organisation(s) to sync (default all)
          --batch           batch zone settings call answering, ended, or both (default both)
          --window-seconds  rate-limit window of the large (or quick) case, limit scaled with it (default 60; quick 5)
          --quick           smoke run: 2 accounts, 100 members, 40 zones, 5 s window; under a minute
        Vigil.Bench --report   a 10,000-membership review campaign and its HTML and OCSF reports (targets: each under 5 s)
        Vigil.Bench --evaluate [--per-check]   the whole catalogue over 100,000 memberships, 10,000 zones, 200,000 DNS records (no sync)
        Vigil.Bench --plan [--window-seconds N] calls and time bounds of small and large syncs per --checks selection (no sync)
        Vigil.Bench --store-commit [--database URL]
        Vigil.Bench --workers [--counts 1,2,4] [--orgs 200] [--concurrency 4] [--database URL]
                    [--shared --budget B --window-seconds W --unshared-calls-per-second R]   vigil worker processes on PostgreSQL
        Vigil.Bench --findings-api   GET /api/v1/findings?limit=100 for 10,000 memberships, 2,000 zones (target: p95 under 50 ms, warm)
        Vigil.Bench --pages          the overview and findings pages for the same organisation, signed in (target: p95 under 200 ms, warm)
        """;

    public static BenchArguments Parse(string[] args)
    {
        string size = "all", batch = "both";
        int? windowSeconds = null;
        var quick = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--size":
                    size = Value(args, ref i, "small", "large", "one-account", "all");
                    break;
                case "--batch":
                    batch = Value(args, ref i, "on", "off", "both");
                    break;
                case "--window-seconds":
                    var text = Value(args, ref i);
                    windowSeconds = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                        ? seconds
                        : throw new ArgumentException($"--window-seconds must be a positive whole number, got '{text}'.");
                    break;
                case "--quick":
                    quick = true;
                    break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        var sizes = quick ? [BenchSize.Quick(windowSeconds ?? 5)]
            : size switch
            {
                "small" => [BenchSize.Small()],
                "large" => [BenchSize.Large(windowSeconds ?? 60)],
                "one-account" => [BenchSize.OneAccount(windowSeconds ?? 60)],
                _ => new[] { BenchSize.Small(), BenchSize.Large(windowSeconds ?? 60) },
            };
        bool[] modes = batch switch
        {
            "on" => [false],
            "off" => [true],
            _ => [false, true],
        };
        return new BenchArguments([.. sizes.SelectMany(s => modes.Select(ended => new BenchCase(s, ended)))]);
    }

    private static string Value(string[] args, ref int i, params string[] allowed)
    {
        var name = args[i];
        if (++i >= args.Length)
        {
            throw new ArgumentException($"{name} needs a value.");
        }
        return allowed.Length == 0 || allowed.Contains(args[i])
            ? args[i]
            : throw new ArgumentException($"{name} must be one of {string.Join(", ", allowed)}, got '{args[i]}'.");
    }
}

/// <summary>The child's options, written by <see cref="BenchDriver"/>; the token comes through the environment.</summary>
internal sealed record ChildArguments(string Case, string ApiUrl, string Home, int Budget, TimeSpan Window, int PerSecond, int Concurrency, int ExpectedMembers)
{
    public IEnumerable<string> ToArgs() =>
    [
        "--case", Case, "--api-url", ApiUrl, "--home", Home, "--budget", Text(Budget),
        "--window-ms", Text((int)Window.TotalMilliseconds), "--per-second", Text(PerSecond), "--concurrency", Text(Concurrency), "--members", Text(ExpectedMembers),
    ];

    public static ChildArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }
        string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is missing.");
        int Number(string name) => int.Parse(Get(name), CultureInfo.InvariantCulture);
        return new ChildArguments(Get("--case"), Get("--api-url"), Get("--home"), Number("--budget"), TimeSpan.FromMilliseconds(Number("--window-ms")),
            Number("--per-second"), Number("--concurrency"), Number("--members"));
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
