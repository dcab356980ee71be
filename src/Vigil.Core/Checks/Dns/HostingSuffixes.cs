namespace Vigil.Core.Checks.Dns;

/// <summary>
/// Hosting services where a CNAME's target is a name the customer claims inside the provider's domain: when the
/// resource is deleted and the CNAME stays, anyone can claim the same name and serve content under the customer's
/// hostname (subdomain takeover). <see cref="DnsDangling"/> reports CNAMEs to these suffixes as risks to verify.
/// </summary>
/// <remarks>
/// The one list, kept here. Sources: the providers' documentation of custom domains (AWS S3 website endpoints and
/// Elastic Beanstalk, Azure's "Prevent dangling DNS entries and avoid subdomain takeover" guidance, which names
/// azurewebsites.net, cloudapp.net, cloudapp.azure.com, trafficmanager.net, blob.core.windows.net, azureedge.net,
/// azure-api.net, azurecontainer.io and azurefd.net; Heroku; GitHub Pages), and the services the public
/// "can-i-take-over-xyz" catalogue lists as vulnerable. A suffix matches the target itself or any name under it.
/// </remarks>
internal static class HostingSuffixes
{
    /// <param name="LabelPrefix">When set, some label of the target before the suffix must start with it (S3 website endpoints are "BUCKET.s3-website-REGION.amazonaws.com" or "BUCKET.s3-website.REGION.amazonaws.com").</param>
    internal sealed record Entry(string Provider, string Suffix, string? LabelPrefix = null);

    public static readonly IReadOnlyList<Entry> All =
    [
        new("AWS S3 website endpoint", "amazonaws.com", "s3-website"),
        new("AWS S3 bucket", "s3.amazonaws.com"),
        new("AWS Elastic Beanstalk", "elasticbeanstalk.com"),
        new("Azure App Service", "azurewebsites.net"),
        new("Azure Cloud Services", "cloudapp.net"),
        new("Azure virtual machine", "cloudapp.azure.com"),
        new("Azure Traffic Manager", "trafficmanager.net"),
        new("Azure Blob Storage", "blob.core.windows.net"),
        new("Azure CDN", "azureedge.net"),
        new("Azure API Management", "azure-api.net"),
        new("Azure Container Instances", "azurecontainer.io"),
        new("Azure Front Door", "azurefd.net"),
        new("Heroku", "herokuapp.com"),
        new("Heroku", "herokudns.com"),
        new("Heroku", "herokussl.com"),
        new("GitHub Pages", "github.io"),
        new("Bitbucket", "bitbucket.io"),
        new("Google Cloud Storage", "c.storage.googleapis.com"),
        new("Shopify", "myshopify.com"),
        new("Ghost", "ghost.io"),
        new("Pantheon", "pantheonsite.io"),
        new("Read the Docs", "readthedocs.io"),
        new("Surge", "surge.sh"),
        new("Netlify", "netlify.app"),
    ];

    /// <summary>The entry the target name falls under; null when none.</summary>
    public static Entry? Match(string target)
    {
        // Compared in place, case-insensitively: every CNAME of every zone is matched against every suffix.
        var name = target.AsSpan().Trim().TrimEnd('.');
        foreach (var entry in All)
        {
            var suffix = entry.Suffix.AsSpan();
            if (name.Length <= suffix.Length || name[^(suffix.Length + 1)] != '.' || !name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (entry.LabelPrefix is null || AnyLabelStartsWith(name[..^(suffix.Length + 1)], entry.LabelPrefix))
            {
                return entry;
            }
        }
        return null;
    }

    private static bool AnyLabelStartsWith(ReadOnlySpan<char> labels, string prefix)
    {
        foreach (var range in labels.Split('.'))
        {
            if (labels[range].StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
