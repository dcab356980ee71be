namespace Vigil.App;

/// <summary>
/// A failure of an operation that the person who asked for it can act on; its message is shown as it is (the CLI prints
/// it, the API returns it as a problem's detail).
/// </summary>
public class OperationException(string message) : Exception(message);

/// <summary>A request that makes no sense as asked (a bad option value, two options that exclude each other).</summary>
/// <param name="field">The option or field at fault, when one is.</param>
public sealed class InvalidRequestException(string message, string? field = null) : OperationException(message)
{
    public string? Field { get; } = field;
}
