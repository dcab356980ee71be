using System.Runtime.InteropServices;
using Vigil.Simulation;

// Standalone simulator: see README.md for the options. The --token value is a simulator-only test credential.
if (!SimulatorCommandLine.TryParse(args, Environment.GetEnvironmentVariable("CF_SIM_TOKEN"), out var scenario, out var options, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(SimulatorCommandLine.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
CloudflareSimulator simulator;
try
{
    simulator = await CloudflareSimulator.StartAsync(scenario, options, stop.Token);
}
catch (IOException e)
{
    Console.Error.WriteLine($"cannot listen on port {options.Port}: {e.Message}");
    return 1;
}

await using (simulator)
{
    Console.Out.WriteLine($"listening on {simulator.BaseUrl}");
    Console.Out.Flush();
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
