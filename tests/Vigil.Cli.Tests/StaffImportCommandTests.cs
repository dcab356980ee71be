namespace Vigil.Cli.Tests;

public sealed class StaffImportCommandTests
{
    [Fact]
    public async Task A_file_with_errors_names_file_line_and_column_and_stores_nothing()
    {
        using var cli = new CliProcess();
        var file = Path.Combine(cli.Home, "staff.csv");
        await File.WriteAllTextAsync(file, "email,name,status,org_role,offboarded_on\nada@example.com,Ada,active,engineer,\nbob@example.com,Bob,gone,engineer,\n");

        var result = (await cli.RunAsync("staff", "import", file)).ShouldExit(1);

        Assert.Contains("staff.csv:3", result.Stderr);
        Assert.Contains("status", result.Stderr);
        Assert.Contains("nothing was stored", result.Stderr);
        Assert.Contains("0 people", (await cli.RunAsync("staff", "list")).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task Skip_invalid_stores_the_valid_rows_and_a_reimport_reports_people_missing_from_it()
    {
        using var cli = new CliProcess();
        var file = Path.Combine(cli.Home, "staff.csv");
        await File.WriteAllTextAsync(file, "email,name,status,org_role,offboarded_on\nada@example.com,Ada,active,engineer,\nbob@example.com,Bob,gone,engineer,\n");
        (await cli.RunAsync("staff", "import", file, "--skip-invalid")).ShouldExit(0);

        await File.WriteAllTextAsync(file, "email,name,status,org_role,offboarded_on\ncy@example.com,Cy,active,sre,\n");
        var second = (await cli.RunAsync("staff", "import", file)).ShouldExit(0);

        Assert.Contains("ada@example.com", second.Stdout);
        Assert.Contains("not in this file", second.Stdout);
        Assert.Contains("2 people", (await cli.RunAsync("staff", "list")).ShouldExit(0).Stdout);
    }

    [Fact]
    public async Task List_as_csv_imports_back_unchanged_and_as_json_is_one_array()
    {
        using var cli = new CliProcess();
        var file = Path.Combine(cli.Home, "staff.csv");
        await File.WriteAllTextAsync(file,
            "email,name,status,org_role,offboarded_on,aliases,manager\n" +
            "ada@example.com,\"Lovelace, Ada \"\"the first\"\"\",active,engineer,,ada@old.example;a.l@example.com,grace@example.com\n" +
            "bob@example.com,Bob,offboarded,,2026-09-30,,\n" +
            "grace@example.com,\"Grace\nHopper\",active,cto,,,\n");
        (await cli.RunAsync("staff", "import", file)).ShouldExit(0);

        var csv = (await cli.RunAsync("staff", "list", "--format", "csv")).ShouldExit(0).Stdout;
        Assert.StartsWith("email,name,status,org_role,offboarded_on,aliases,manager\n", csv);
        using var other = new CliProcess();
        var exported = Path.Combine(other.Home, "exported.csv");
        await File.WriteAllTextAsync(exported, csv);
        (await other.RunAsync("staff", "import", exported)).ShouldExit(0);
        Assert.Equal(csv, (await other.RunAsync("staff", "list", "--format", "csv")).ShouldExit(0).Stdout);
        Assert.Contains("0 updated, 3 unchanged", (await cli.RunAsync("staff", "import", exported)).ShouldExit(0).Stdout);

        var json = (await cli.RunAsync("staff", "list", "--format", "json")).ShouldExit(0).Stdout;
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var people = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(["ada@example.com", "bob@example.com", "grace@example.com"], people.Select(p => p.GetProperty("email").GetString()));
        Assert.Equal("Lovelace, Ada \"the first\"", people[0].GetProperty("name").GetString());
        Assert.Equal(["ada@old.example", "a.l@example.com"], people[0].GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("grace@example.com", people[0].GetProperty("manager").GetString());
        Assert.Equal("2026-09-30", people[1].GetProperty("offboarded_on").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, people[1].GetProperty("org_role").ValueKind);
        Assert.Equal("Grace\nHopper", people[2].GetProperty("name").GetString());

        var empty = new CliProcess();
        using (empty)
        {
            Assert.Equal("[]", (await empty.RunAsync("staff", "list", "--format", "json")).ShouldExit(0).Stdout.Trim());
            Assert.Contains("0 people", (await empty.RunAsync("staff", "list")).ShouldExit(0).Stdout);
        }
    }
}
