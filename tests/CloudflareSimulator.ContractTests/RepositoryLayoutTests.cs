namespace Vigil.Simulation.ContractTests;

public sealed class RepositoryLayoutTests
{
    [Fact]
    public void Finds_the_shared_document_beside_the_repository()
    {
        var path = RepositoryLayout.CloudflareOpenApiPath();

        Assert.True(File.Exists(path));
        Assert.EndsWith(Path.Combine("shared", "cloudflare", "openapi-subset.json"), path, StringComparison.Ordinal);
    }

    [Fact]
    public void Finds_the_document_in_any_ancestor_directory()
    {
        var root = Directory.CreateTempSubdirectory("vigil-layout-");
        try
        {
            var shared = Directory.CreateDirectory(Path.Combine(root.FullName, "shared", "cloudflare"));
            File.WriteAllText(Path.Combine(shared.FullName, "openapi-subset.json"), "{}");
            var deep = Directory.CreateDirectory(Path.Combine(root.FullName, "repo", "tests", "X", "bin", "Release", "net10.0"));

            Assert.Equal(Path.Combine(shared.FullName, "openapi-subset.json"), RepositoryLayout.CloudflareOpenApiPath(deep.FullName));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_missing_document_fails_with_where_it_was_looked_for()
    {
        var root = Directory.CreateTempSubdirectory("vigil-layout-");
        try
        {
            // Only finds nothing if no ancestor of the temp directory has shared/cloudflare either, which holds on CI and here.
            var error = Assert.Throws<FileNotFoundException>(() => RepositoryLayout.CloudflareOpenApiPath(root.FullName));

            Assert.Contains("shared/cloudflare/openapi-subset.json", error.Message, StringComparison.Ordinal);
            Assert.Contains(root.FullName, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
