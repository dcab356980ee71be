namespace Vigil.Simulation.ContractTests;

/// <summary>Finds files outside the test output: the repository root and the shared Cloudflare material beside it.</summary>
internal static class RepositoryLayout
{
    private const string OpenApiRelativePath = "shared/cloudflare/openapi-subset.json";

    /// <summary>
    /// Cloudflare's OpenAPI document. It lives outside the repository (…/shared/cloudflare beside the clone, in CI as
    /// on a workstation), so every ancestor of the test assembly is tried. Missing means the contract cannot be
    /// checked, which is a failure, not a skip.
    /// </summary>
    public static string CloudflareOpenApiPath() => CloudflareOpenApiPath(AppContext.BaseDirectory);

    public static string CloudflareOpenApiPath(string startDirectory)
    {
        var tried = new List<string>();
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, OpenApiRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }

            tried.Add(candidate);
        }

        throw new FileNotFoundException(
            $"Cloudflare's OpenAPI document ({OpenApiRelativePath}) was not found. It must sit in a 'shared' directory beside "
            + $"(or above) the repository, e.g. <parent>/shared/cloudflare/ next to <parent>/<repo>. Looked at: {string.Join(", ", tried)}");
    }

    /// <summary>The directory holding Vigil.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Vigil.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No directory above {AppContext.BaseDirectory} contains Vigil.sln.");
    }
}
