using Vigil.Core;

namespace Vigil.Cli;

/// <summary>Reads credentials from an environment variable or, on a terminal, a prompt without echo. Never from arguments.</summary>
internal static class SecretInput
{
    public static Secret? FromEnvironment(string variable, out string? problem)
    {
        problem = null;
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = $"environment variable {variable} is not set or empty; export it first (e.g. read -rs {variable} && export {variable})";
            return null;
        }
        return new Secret(value);
    }

    public static Secret? Prompt(string label, out string? problem)
    {
        problem = null;
        if (Console.IsInputRedirected)
        {
            problem = "no credential given: pass --token-env VAR (or --email with --key-env VAR); prompting needs a terminal";
            return null;
        }
        Console.Error.Write($"{label}: ");
        var buffer = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (buffer.Length > 0) buffer.Length--; continue; }
            if (!char.IsControl(key.KeyChar)) buffer.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        if (buffer.Length == 0) { problem = "no credential entered"; return null; }
        return new Secret(buffer.ToString());
    }
}
