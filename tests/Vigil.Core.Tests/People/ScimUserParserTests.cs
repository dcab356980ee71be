using Vigil.Core.People;

namespace Vigil.Core.Tests.People;

public sealed class ScimUserParserTests
{
    private static StaffParseResult Parse(string json) => ScimUserParser.Parse(new StringReader(json), "users.json");

    private const string ListResponse = """
        {
          "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
          "totalResults": 3,
          "Resources": [
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
              "id": "u-boss",
              "userName": "maria@acme.test",
              "name": { "givenName": "Maria", "familyName": "Boss" },
              "emails": [{ "value": "maria@acme.test", "primary": true, "type": "work" }],
              "active": true,
              "title": "Head of Engineering"
            },
            {
              "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
              "id": "u-jane",
              "userName": "jdoe@old-brand.test",
              "displayName": "Jane Doe",
              "emails": [
                { "value": "jane.doe@old-brand.test", "type": "other" },
                { "value": "jane@acme.test", "primary": true, "type": "work" }
              ],
              "roles": [{ "value": "sre", "primary": true }],
              "title": "Site Reliability Engineer",
              "active": true,
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
                "department": "Platform",
                "manager": { "value": "u-boss", "displayName": "Maria Boss", "$ref": "../Users/u-boss" }
              }
            },
            {
              "id": "u-bob",
              "userName": "bob@acme.test",
              "name": { "formatted": "Bob Gone" },
              "active": false,
              "title": "engineer",
              "urn:ietf:params:scim:schemas:extension:vigil:2.0:User": { "offboardedOn": "2025-05-20" }
            }
          ]
        }
        """;

    [Fact]
    public void Maps_users_with_aliases_roles_managers_and_inactive_status()
    {
        var result = Parse(ListResponse);

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.People.Count);
        var (maria, jane, bob) = (result.People[0], result.People[1], result.People[2]);

        Assert.Equal(("maria@acme.test", "Maria Boss", "Head of Engineering"), (maria.Email, maria.Name, maria.OrgRole));
        Assert.Empty(maria.Aliases);

        Assert.Equal("jane@acme.test", jane.Email);
        Assert.Equal("Jane Doe", jane.Name);
        Assert.Equal(["jane.doe@old-brand.test", "jdoe@old-brand.test"], jane.Aliases);
        Assert.Equal("sre", jane.OrgRole);
        Assert.Equal("maria@acme.test", jane.ManagerEmail);
        Assert.Equal(PersonStatus.Active, jane.Status);

        Assert.Equal(("bob@acme.test", "Bob Gone", PersonStatus.Offboarded), (bob.Email, bob.Name, bob.Status));
        Assert.Equal(new DateOnly(2025, 5, 20), bob.OffboardedOn);
    }

    [Fact]
    public void Malformed_json_is_an_error_not_an_exception()
    {
        var result = Parse("{\n  \"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:ListResponse\"],\n  \"Resources\": [ {\"userName\": }\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("users.json:3: not valid JSON", error.ToString());
        Assert.Empty(result.People);
    }

    [Fact]
    public void Rejects_a_document_that_is_not_a_list_response()
    {
        var error = Assert.Single(Parse("""{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a@b.test"}""").Errors);

        Assert.Equal("$.schemas", error.Column);
        Assert.Equal("users.json: $.schemas: does not list urn:ietf:params:scim:api:messages:2.0:ListResponse", error.ToString());
    }

    [Fact]
    public void Rejects_a_top_level_array()
    {
        Assert.Contains("found an array", Assert.Single(Parse("[]").Errors).Message);
    }

    [Fact]
    public void An_empty_list_response_may_omit_resources()
    {
        var result = Parse("""{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": 0}""");

        Assert.Empty(result.Errors);
        Assert.Empty(result.People);
    }

    [Fact]
    public void Reports_bad_values_by_json_path_and_keeps_valid_users()
    {
        var json = """
            {"Resources": [
              {"userName": "ok@acme.test"},
              {"userName": "no-email-here"},
              {"userName": "x@acme.test", "active": "maybe"},
              {"userName": "y@acme.test", "emails": [{"value": "not an email"}]},
              {"userName": "z@acme.test", "active": false, "urn:example:ext": {"terminationDate": "last tuesday"}}
            ]}
            """;
        var result = Parse(json);

        Assert.Equal("ok@acme.test", Assert.Single(result.People).Email);
        Assert.Equal(["$.Resources[1]", "$.Resources[2].active", "$.Resources[3].emails[0].value", "$.Resources[4].urn:example:ext.terminationDate"],
            result.Errors.Select(e => e.Column));
        Assert.Contains("has no email", result.Errors[0].Message);
    }

    [Fact]
    public void Reports_duplicate_addresses_across_users()
    {
        var json = """
            {"Resources": [
              {"userName": "jane@acme.test", "emails": [{"value": "j@old.test"}]},
              {"userName": "J@OLD.test"}
            ]}
            """;
        var result = Parse(json);

        var error = Assert.Single(result.Errors);
        Assert.Equal("$.Resources[1].emails", error.Column);
        Assert.Contains("already an alias of jane@acme.test", error.Message);
    }

    [Fact]
    public void Accepts_string_booleans_and_date_times_and_an_email_manager()
    {
        var json = """
            {"Resources": [{
              "userName": "bob@acme.test", "active": "False",
              "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "boss@acme.test"}},
              "urn:ietf:params:scim:schemas:extension:vigil:2.0:User": {"offboarded_on": "2025-05-20T17:30:00Z"}
            }]}
            """;
        var bob = Assert.Single(Parse(json).People);

        Assert.Equal(PersonStatus.Offboarded, bob.Status);
        Assert.Equal(new DateOnly(2025, 5, 20), bob.OffboardedOn);
        Assert.Equal("boss@acme.test", bob.ManagerEmail);
        Assert.Equal("bob@acme.test", bob.Name);
    }

    [Fact]
    public void Ignores_a_termination_date_on_an_active_user()
    {
        var json = """{"Resources": [{"userName": "jane@acme.test", "active": true, "urn:x": {"terminationDate": "2030-01-01"}}]}""";

        Assert.Null(Assert.Single(Parse(json).People).OffboardedOn);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e40")]
    [InlineData("-1")]
    [InlineData("99999999999999999999999")]
    public void A_total_results_that_is_no_whole_number_is_an_error_naming_file_and_path(string total)
    {
        var result = Parse($$"""{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "totalResults": {{total}}}""");

        var error = Assert.Single(result.Errors);
        Assert.Empty(result.People);
        Assert.Equal("$.totalResults", error.Column);
        Assert.Contains("users.json: $.totalResults:", error.ToString());
        Assert.Contains(total, error.Message);
    }
}
