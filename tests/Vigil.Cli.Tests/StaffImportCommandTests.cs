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
}
