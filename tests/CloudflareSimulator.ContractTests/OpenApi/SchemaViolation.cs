using System.Text.Json;
using Json.Schema;

namespace Vigil.Simulation.ContractTests.OpenApi;

/// <summary>
/// One way a response breaks its schema: where in the response (<see cref="InstanceLocation"/>, a JSON pointer),
/// which keyword failed, the validator's message and where in the document the keyword sits.
/// </summary>
internal sealed record SchemaViolation(string InstanceLocation, string Keyword, string Message, string EvaluationPath)
{
    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        // "format" is an assertion here: date-time, email and hostname are checked, not only annotated.
        RequireFormatValidation = true,
    };

    public static IReadOnlyList<SchemaViolation> Collect(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, Options);
        var violations = new List<SchemaViolation>();
        if (!results.IsValid)
        {
            AddErrors(results, violations);
        }

        return violations;
    }

    public override string ToString() => $"{Display(InstanceLocation)}: {Keyword}: {Message} (schema {EvaluationPath})";

    private static void AddErrors(EvaluationResults node, List<SchemaViolation> violations)
    {
        foreach (var (keyword, message) in node.Errors ?? new Dictionary<string, string>())
        {
            violations.Add(new SchemaViolation(node.InstanceLocation.ToString(), keyword, message, node.EvaluationPath.ToString()));
        }

        foreach (var child in node.Details ?? [])
        {
            AddErrors(child, violations);
        }
    }

    private static string Display(string pointer) => pointer.Length == 0 ? "(root)" : pointer;
}
