using Vigil.App.Reports;
using Vigil.Storage;

namespace Vigil.Web;

/// <summary>
/// Where the web app keeps the reports it generates and which key signs them: the Vigil home's <c>reports</c> folder and
/// its report signing key (the one <c>vigil report</c> and <c>vigil report verify</c> use). The home is resolved on
/// first use, so a server that never generates a report never creates either.
/// </summary>
internal sealed class WebReports(string? home)
{
    private readonly Lazy<string> _home = new(() => home is null ? VigilHome.Resolve() : Path.GetFullPath(home));

    public ReportArchive Archive => new(Path.Combine(_home.Value, "reports"));

    /// <summary>The signing key, created on first use (the caller disposes it).</summary>
    public ReportSigningKey SigningKey() => ReportSigningKey.LoadOrCreate(_home.Value);

    /// <summary>The public key reports are verified with; null before any report was signed here.</summary>
    public string? TrustedPublicKey()
    {
        using var key = ReportSigningKey.Find(_home.Value);
        return key?.PublicKeyPem;
    }
}
