using Vigil.Core.People;

namespace Vigil.Core.Tests.People;

public sealed class StaffCsvParserTests
{
    private const string Header = "email,name,status,org_role,offboarded_on\n";

    private static StaffParseResult Parse(string csv) => StaffCsvParser.Parse(new StringReader(csv), "staff.csv");

    [Fact]
    public void Parses_valid_rows()
    {
        var result = Parse(Header + "jane@acme.test,Jane Doe,active,engineer,\nbob@acme.test,Bob,Offboarded,sre,2025-05-20\n");

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.People.Count);
        Assert.Equal(new Person("jane@acme.test", "Jane Doe", PersonStatus.Active, "engineer", null, [], null), result.People[0] with { Aliases = [] });
        Assert.Equal(PersonStatus.Offboarded, result.People[1].Status);
        Assert.Equal(new DateOnly(2025, 5, 20), result.People[1].OffboardedOn);
    }

    [Fact]
    public void Handles_quoted_fields_with_commas_quotes_and_newlines()
    {
        var csv = Header + "jane@acme.test,\"Doe, Jane \"\"JD\"\"\nSecond line\",active,engineer,\n" + "sam@acme.test,Sam,active,sre,\n";
        var result = Parse(csv);

        Assert.Empty(result.Errors);
        Assert.Equal("Doe, Jane \"JD\"\nSecond line", result.People[0].Name);
        Assert.Equal("sam@acme.test", result.People[1].Email);
    }

    [Fact]
    public void Counts_lines_across_quoted_newlines_in_errors()
    {
        var csv = Header + "jane@acme.test,\"Jane\nDoe\",active,engineer,\nsam@acme.test,Sam,gone,sre,\n";
        var error = Assert.Single(Parse(csv).Errors);

        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Ignores_a_byte_order_mark_and_accepts_crlf()
    {
        var result = Parse("\uFEFFEmail,Name,Status,Org_Role,Offboarded_On\r\njane@acme.test,Jane,active,engineer,\r\n");

        Assert.Empty(result.Errors);
        Assert.Equal("jane@acme.test", Assert.Single(result.People).Email);
    }

    [Fact]
    public void Accepts_columns_in_any_order_with_aliases_and_manager()
    {
        var result = Parse("manager,aliases,offboarded_on,org_role,status,name,email\nboss@acme.test, j@old.test ; jd@old.test ,,engineer,ACTIVE,Jane,jane@acme.test\n");

        var person = Assert.Single(result.People);
        Assert.Empty(result.Errors);
        Assert.Equal(["j@old.test", "jd@old.test"], person.Aliases);
        Assert.Equal("boss@acme.test", person.ManagerEmail);
        Assert.Equal(PersonStatus.Active, person.Status);
    }

    [Fact]
    public void Reports_a_bad_status_with_line_and_column()
    {
        var result = Parse(Header + "a@acme.test,A,active,engineer,\nb@acme.test,B,active,engineer,\nc@acme.test,C,active,engineer,\nd@acme.test,D,active,engineer,\ne@acme.test,E,active,engineer,\ng@acme.test,G,gone,engineer,\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(new StaffImportError("staff.csv", 7, "status", "'gone' is not active or offboarded"), error);
        Assert.Equal("staff.csv:7: column 'status': 'gone' is not active or offboarded", error.ToString());
        Assert.Equal(5, result.People.Count);
    }

    [Theory]
    [InlineData("20/05/2025")]
    [InlineData("2025-02-30")]
    [InlineData("2025-5-1")]
    public void Reports_a_bad_date(string date)
    {
        var error = Assert.Single(Parse(Header + $"bob@acme.test,Bob,offboarded,sre,{date}\n").Errors);

        Assert.Equal((2, "offboarded_on"), (error.Line, error.Column));
        Assert.Contains("YYYY-MM-DD", error.Message);
    }

    [Fact]
    public void Rejects_an_offboarding_date_on_an_active_person_but_allows_none_on_an_offboarded_one()
    {
        var result = Parse(Header + "jane@acme.test,Jane,active,engineer,2025-01-01\nbob@acme.test,Bob,offboarded,sre,\n");

        Assert.Equal("offboarded_on", Assert.Single(result.Errors).Column);
        Assert.Null(Assert.Single(result.People).OffboardedOn);
    }

    [Fact]
    public void Reports_a_duplicate_email_case_insensitively_naming_the_first_line()
    {
        var result = Parse(Header + "jane@acme.test,Jane,active,engineer,\nJANE@acme.test,Jane again,active,engineer,\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "email"), (error.Line, error.Column));
        Assert.Contains("first line 2", error.Message);
        Assert.Single(result.People);
    }

    [Fact]
    public void Reports_an_alias_that_is_someone_elses_email_or_alias()
    {
        var csv = "email,name,status,org_role,offboarded_on,aliases\n" +
                  "jane@acme.test,Jane,active,engineer,,j@old.test\n" +
                  "sam@acme.test,Sam,active,sre,,jane@acme.test\n" +
                  "tom@acme.test,Tom,active,sre,,J@OLD.test\n" +
                  "j@old.test,Other,active,sre,,\n";
        var errors = Parse(csv).Errors;

        Assert.Equal(3, errors.Count);
        Assert.Equal((3, "aliases"), (errors[0].Line, errors[0].Column));
        Assert.Contains("already the email", errors[0].Message);
        Assert.Contains("already an alias of jane@acme.test", errors[1].Message);
        Assert.Equal((5, "email"), (errors[2].Line, errors[2].Column));
    }

    [Fact]
    public void Rejects_an_unknown_column()
    {
        var result = Parse("email,name,status,org_role,offboarded_on,department\njane@acme.test,Jane,active,engineer,,Ops\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, "department"), (error.Line, error.Column));
        Assert.Contains("unknown column", error.Message);
        Assert.Empty(result.People);
    }

    [Fact]
    public void Reports_missing_required_columns()
    {
        var errors = Parse("email,name\njane@acme.test,Jane\n").Errors;

        Assert.Equal(["status", "org_role", "offboarded_on"], errors.Select(e => e.Column));
    }

    [Theory]
    [InlineData("not-an-email,Jane,active,engineer,", "email", "'not-an-email' is not an email address")]
    [InlineData(",Jane,active,engineer,", "email", "email is empty")]
    [InlineData("jane@acme.test,,active,engineer,", "name", "name is empty")]
    [InlineData("jane@acme.test,Jane,active,engineer", "", "row has 4 fields; the header has 5")]
    [InlineData("jane@acme.test,\"Jane\"x,active,engineer,", "", "after a closing quote")]
    public void Reports_invalid_rows(string row, string column, string message)
    {
        var error = Assert.Single(Parse(Header + row + "\n").Errors);

        Assert.Equal((2, column), (error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Reports_an_unterminated_quote()
    {
        var error = Assert.Single(Parse(Header + "jane@acme.test,\"Jane,active,engineer,\n").Errors);

        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void Reports_an_empty_file()
    {
        Assert.Contains("empty", Assert.Single(Parse("").Errors).Message);
    }

    [Fact]
    public void Skips_blank_lines_and_empty_org_role_is_null()
    {
        var result = Parse(Header + "\njane@acme.test,Jane,active,,\n\n");

        Assert.Empty(result.Errors);
        Assert.Null(Assert.Single(result.People).OrgRole);
    }
}
