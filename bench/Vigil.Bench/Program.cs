using Vigil.Bench;

// Run by hand (see bench/README.md). The parent hosts the simulator and prints the report; each case's sync runs in a
// child process (this program again, with --case) so that memory peaks belong to one case.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchArguments.Usage);
    return 0;
}

try
{
    if (args.Contains("--store-commit"))
    {
        return await StoreCommitBench.RunAsync(args, cancel.Token);
    }

    if (args.Contains("--report"))
    {
        return await ReportBench.RunAsync(cancel.Token);
    }

    if (args.Contains("--evaluate"))
    {
        return EvaluationBench.Run(args);
    }

    if (args.Contains("--plan"))
    {
        var window = Array.IndexOf(args, "--window-seconds");
        return CallPlanReport.Run(window >= 0 && window + 1 < args.Length ? int.Parse(args[window + 1], System.Globalization.CultureInfo.InvariantCulture) : 60);
    }

    if (args.Contains("--incremental"))
    {
        return await IncrementalBench.RunAsync(args, cancel.Token);
    }

    if (args.Contains("--findings-api"))
    {
        return await FindingsApiBench.RunAsync(cancel.Token);
    }

    if (args.Contains("--workers"))
    {
        return await WorkersBench.RunAsync(args, cancel.Token);
    }

    if (args.Contains("--pages"))
    {
        return await PagesBench.RunAsync(cancel.Token);
    }

    if (args.Contains("--case"))
    {
        return await CaseRunner.RunAsync(ChildArguments.Parse(args), cancel.Token);
    }
    return await BenchDriver.RunAsync(BenchArguments.Parse(args), cancel.Token);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync(ex.Message);
    await Console.Error.WriteLineAsync(BenchArguments.Usage);
    return 2;
}
