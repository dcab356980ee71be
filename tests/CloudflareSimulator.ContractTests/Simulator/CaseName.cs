using Xunit.Abstractions;

namespace Vigil.Simulation.ContractTests.Simulator;

/// <summary>
/// A theory argument that shows as the whole case name: xunit cuts string arguments to 50 characters in test names,
/// which would make the long entrypoint and settings cases indistinguishable.
/// </summary>
public sealed class CaseName : IXunitSerializable
{
    public CaseName()
    {
    }

    public CaseName(string value) => Value = value;

    public string Value { get; private set; } = "";

    public void Deserialize(IXunitSerializationInfo info) => Value = info.GetValue<string>(nameof(Value));

    public void Serialize(IXunitSerializationInfo info) => info.AddValue(nameof(Value), Value);

    public override string ToString() => Value;
}
