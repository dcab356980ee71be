namespace Vigil.Core;

/// <summary>
/// A credential value (API token or Global API Key). It never prints itself: ToString, string interpolation
/// and structured logging all see "[redacted]". Call <see cref="Reveal"/> only where the value goes on the wire
/// or into the encrypted store.
/// </summary>
public sealed class Secret
{
    private readonly string _value;

    public Secret(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value.Trim();
    }

    public string Reveal() => _value;

    public override string ToString() => "[redacted]";
}
