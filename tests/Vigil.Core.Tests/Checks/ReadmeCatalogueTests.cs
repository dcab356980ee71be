using System.Text.RegularExpressions;
using Vigil.Core.Checks;

namespace Vigil.Core.Tests.Checks;

/// <summary>The README states the catalogue's size and documents every check; adding a check without doing so fails here.</summary>
public sealed partial class ReadmeCatalogueTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));

    [Fact]
    public void Every_count_of_checks_in_the_readme_is_the_catalogues()
    {
        var counts = CheckCounts().Matches(Readme).Select(m => int.Parse(m.Groups.Values.Skip(1).First(g => g.Success).Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.NotEmpty(counts);
        Assert.All(counts, count => Assert.Equal(CheckCatalog.All.Count, count));
    }

    [Fact]
    public void Every_check_is_documented_in_the_readme_by_its_id()
    {
        var missing = CheckCatalog.All.Select(c => c.Definition.Id).Where(id => !Readme.Contains($"`{id}`", StringComparison.Ordinal)).ToList();

        Assert.Empty(missing);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Vigil.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (Vigil.sln) was not found above the test's directory");
    }

    // "evaluates 38 compliance checks", "**38 checks**", "for all 38", and the `checks --list` JSON example's count.
    [GeneratedRegex(@"(\d+) compliance checks|\*\*(\d+) checks\*\*|prints them for all (\d+)|\{""count"": (\d+), ""checks""")]
    private static partial Regex CheckCounts();
}
