namespace Vigil.Core.Frameworks;

/// <summary>One control of a compliance framework, e.g. SOC 2 CC6.1. Checks refer to these constants, never to strings.</summary>
/// <param name="Framework">"SOC 2" or "ISO/IEC 27001:2022".</param>
/// <param name="Id">The control's reference in its framework, e.g. "CC6.1" or "A.8.5".</param>
/// <param name="Title">A short paraphrase of the control for reports.</param>
public sealed record FrameworkControl(string Framework, string Id, string Title)
{
    public override string ToString() => $"{Framework} {Id}";
}
