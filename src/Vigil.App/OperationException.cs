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

/// <summary>
/// A request that names something this organisation does not have (a person not in the staff directory, a system not
/// registered yet): the CLI exits 1 as for any failure it can act on, the API answers 400 naming <see cref="Field"/>.
/// </summary>
public sealed class UnknownReferenceException(string message, string field) : OperationException(message)
{
    public string Field { get; } = field;
}
