using Vigil.Simulation;

// Standalone simulator: see README.md for the options. The --token value is a simulator-only test credential.
if (!SimulatorCommandLine.TryParse(args, Environment.GetEnvironmentVariable("CF_SIM_TOKEN"), out var scenario, out var options, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(SimulatorCommandLine.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
await using var simulator = await CloudflareSimulator.StartAsync(scenario, options, stop.Token);
Console.Out.WriteLine($"listening on {simulator.BaseUrl}");
Console.Out.Flush();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
