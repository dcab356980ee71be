using System.Globalization;
using System.Text.Json;

namespace Vigil.Core.People;

/// <summary>
/// Reads a staff directory from a SCIM 2.0 <c>ListResponse</c> of Users (RFC 7643/7644), as exported by an identity provider.
/// </summary>
/// <remarks>
/// Mapping:
/// <list type="bullet">
/// <item>email: the primary entry of <c>emails</c>; else <c>userName</c> when it is an email; else the first entry of <c>emails</c>.</item>
/// <item>aliases: every other address in <c>emails</c>, and <c>userName</c> when it is an email other than the primary one.</item>
/// <item>name: <c>displayName</c>, else <c>name.formatted</c>, else <c>name.givenName</c> + <c>name.familyName</c>, else the email.</item>
/// <item>status: <c>active: false</c> is offboarded; <c>true</c> or absent is active (SCIM leaves absent to the provider; we assume active).</item>
/// <item>offboarded on: <c>offboardedOn</c>, <c>offboarded_on</c> or <c>terminationDate</c> in any schema extension
/// (e.g. <c>urn:ietf:params:scim:schemas:extension:vigil:2.0:User</c>), as a date or date-time; ignored for active users,
/// whose termination may merely be scheduled.</item>
/// <item>org role: the primary (else first) entry of the core <c>roles</c> attribute (its <c>value</c>, else <c>display</c>);
/// else <c>title</c>. Department is not used: it names a team, not what the person may access.</item>
/// <item>manager: the enterprise extension's <c>manager.value</c> is a SCIM id, resolved to that user's email within the same
/// list; a value that is itself an email is used as is; otherwise no manager.</item>
/// </list>
/// </remarks>
public static class ScimUserParser
{
    private const string ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    private const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string EnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static readonly string[] OffboardedOnNames = ["offboardedOn", "offboarded_on", "terminationDate"];

    /// <param name="fileName">Used only to locate errors, e.g. "users.json".</param>
    public static StaffParseResult Parse(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var errors = new List<StaffImportError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(reader.ReadToEnd());
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            errors.Add(new StaffImportError(fileName, line, "", $"not valid JSON: {FirstSentence(ex.Message)}"));
            return new StaffParseResult([], errors);
        }

        using (document)
        {
            var resources = FindResources(document.RootElement, fileName, errors);
            if (resources is null)
            {
                return new StaffParseResult([], errors);
            }

            return ReadUsers(resources, fileName, errors);
        }
    }

    private static IEnumerable<JsonElement>? FindResources(JsonElement root, string fileName, List<StaffImportError> errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new StaffImportError(fileName, 0, "$", $"expected a SCIM ListResponse object, found {Describe(root.ValueKind)}"));
            return null;
        }

        if (root.TryGetProperty("schemas", out var schemas) && !ContainsString(schemas, ListResponseSchema))
        {
            errors.Add(new StaffImportError(fileName, 0, "$.schemas", $"does not list {ListResponseSchema}"));
            return null;
        }

        if (!root.TryGetProperty("Resources", out var resources))
        {
            // An empty ListResponse may omit Resources (RFC 7644 §3.4.2).
            if (root.TryGetProperty("totalResults", out var total) && total.ValueKind == JsonValueKind.Number)
            {
                // 1.5, 1e40 or -1 are no count of users; say so instead of failing to convert.
                if (!total.TryGetInt64(out var count) || count < 0)
                {
                    errors.Add(new StaffImportError(fileName, 0, "$.totalResults", $"'{total.GetRawText()}' is not a whole number of users"));
                    return null;
                }

                if (count == 0)
                {
                    return [];
                }
            }

            errors.Add(new StaffImportError(fileName, 0, "$.Resources", "is missing"));
            return null;
        }

        if (resources.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new StaffImportError(fileName, 0, "$.Resources", $"expected an array, found {Describe(resources.ValueKind)}"));
            return null;
        }

        return resources.EnumerateArray();
    }

    private static StaffParseResult ReadUsers(IEnumerable<JsonElement> resources, string fileName, List<StaffImportError> errors)
    {
        var emailsById = new Dictionary<string, string>(StringComparer.Ordinal);
        var users = new List<(Person? Person, string Path, string? ManagerRef)>();
        var index = 0;
        foreach (var resource in resources)
        {
            var path = $"$.Resources[{index++}]";
            var rowErrors = new List<StaffImportError>();
            var (person, id, managerRef) = ReadUser(resource, path, fileName, rowErrors);
            if (person is not null && id is not null)
            {
                emailsById.TryAdd(id, person.Email);
            }

            users.Add((rowErrors.Count == 0 ? person : null, path, managerRef));
            errors.AddRange(rowErrors);
        }

        var people = new List<Person>();
        var claims = new AddressClaims();
        foreach (var (person, path, managerRef) in users)
        {
            if (person is null)
            {
                continue;
            }

            var conflicts = new List<StaffImportError>();
            if (claims.EmailConflict(person.Email) is { } emailConflict)
            {
                conflicts.Add(new StaffImportError(fileName, 0, $"{path}.emails", emailConflict));
            }

            foreach (var alias in person.Aliases)
            {
                if (claims.Conflict(alias, person.Email) is { } aliasConflict)
                {
                    conflicts.Add(new StaffImportError(fileName, 0, $"{path}.emails", aliasConflict));
                }
            }

            if (conflicts.Count > 0)
            {
                errors.AddRange(conflicts);
                continue;
            }

            var manager = managerRef switch
            {
                null => null,
                _ when emailsById.TryGetValue(managerRef, out var managerEmail) => managerEmail,
                _ when EmailAddress.IsValid(managerRef) => managerRef,
                _ => null,
            };
            var withManager = person with { ManagerEmail = manager };
            claims.Claim(withManager, path);
            people.Add(withManager);
        }

        return new StaffParseResult(people, errors);
    }

    private static (Person? Person, string? Id, string? ManagerRef) ReadUser(JsonElement user, string path, string fileName, List<StaffImportError> errors)
    {
        void Error(string at, string message) => errors.Add(new StaffImportError(fileName, 0, at, message));

        if (user.ValueKind != JsonValueKind.Object)
        {
            Error(path, $"expected a User object, found {Describe(user.ValueKind)}");
            return (null, null, null);
        }

        if (user.TryGetProperty("schemas", out var schemas) && !ContainsString(schemas, UserSchema))
        {
            Error($"{path}.schemas", $"does not list {UserSchema}; only Users can be imported");
            return (null, null, null);
        }

        var id = String(user, "id");
        var userName = String(user, "userName");
        var (primary, others) = ReadEmails(user, path, Error);
        var userNameIsEmail = EmailAddress.IsValid(userName);

        var email = primary ?? (userNameIsEmail ? userName : null) ?? others.FirstOrDefault();
        if (email is null)
        {
            Error(path, "has no email: neither emails[] nor an email-shaped userName");
            return (null, id, null);
        }

        var aliases = others.Append(userNameIsEmail ? userName! : null)
            .OfType<string>()
            .Where(a => !a.Equals(email, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

        var status = ReadActive(user, path, Error) ? PersonStatus.Active : PersonStatus.Offboarded;
        var offboardedOn = status == PersonStatus.Offboarded ? ReadOffboardedOn(user, path, Error) : null;
        var name = String(user, "displayName") ?? ReadName(user) ?? email;
        var managerRef = user.TryGetProperty(EnterpriseSchema, out var enterprise) && enterprise.ValueKind == JsonValueKind.Object
            && enterprise.TryGetProperty("manager", out var manager)
                ? manager.ValueKind == JsonValueKind.String ? manager.GetString() : String(manager, "value")
                : null;

        return (new Person(email, name, status, ReadOrgRole(user), offboardedOn, aliases, null), id, managerRef);
    }

    private static (string? Primary, List<string> Others) ReadEmails(JsonElement user, string path, Action<string, string> error)
    {
        var others = new List<string>();
        string? primary = null;
        if (!user.TryGetProperty("emails", out var emails) || emails.ValueKind == JsonValueKind.Null)
        {
            return (null, others);
        }

        if (emails.ValueKind != JsonValueKind.Array)
        {
            error($"{path}.emails", $"expected an array, found {Describe(emails.ValueKind)}");
            return (null, others);
        }

        var index = 0;
        foreach (var entry in emails.EnumerateArray())
        {
            var at = $"{path}.emails[{index++}].value";
            var value = String(entry, "value");
            if (!EmailAddress.IsValid(value))
            {
                error(at, value is null ? "is missing" : $"'{value}' is not an email address");
                continue;
            }

            var isPrimary = entry.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.True;
            if (isPrimary && primary is null)
            {
                primary = value;
            }
            else
            {
                others.Add(value!);
            }
        }

        return (primary, others);
    }

    private static bool ReadActive(JsonElement user, string path, Action<string, string> error)
    {
        if (!user.TryGetProperty("active", out var active))
        {
            return true;
        }

        switch (active.ValueKind)
        {
            case JsonValueKind.True:
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(active.GetString(), out var parsed):
                // Some providers send "True"/"False" as strings.
                return parsed;
            default:
                error($"{path}.active", $"'{active.GetRawText()}' is not true or false");
                return true;
        }
    }

    private static DateOnly? ReadOffboardedOn(JsonElement user, string path, Action<string, string> error)
    {
        foreach (var extension in user.EnumerateObject().Where(p => p.Name.StartsWith("urn:", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var name in OffboardedOnNames)
            {
                if (String(extension.Value, name) is not { } text)
                {
                    continue;
                }

                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
                {
                    return DateOnly.FromDateTime(moment.UtcDateTime);
                }

                error($"{path}.{extension.Name}.{name}", $"'{text}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time");
                return null;
            }
        }

        return null;
    }

    private static string? ReadName(JsonElement user)
    {
        if (!user.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (String(name, "formatted") is { } formatted)
        {
            return formatted;
        }

        var parts = new[] { String(name, "givenName"), String(name, "familyName") }.OfType<string>().ToList();
        return parts.Count > 0 ? string.Join(' ', parts) : null;
    }

    private static string? ReadOrgRole(JsonElement user)
    {
        if (user.TryGetProperty("roles", out var roles) && roles.ValueKind == JsonValueKind.Array)
        {
            var entries = roles.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object).ToList();
            var chosen = entries.FirstOrDefault(r => r.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.True);
            if (chosen.ValueKind == JsonValueKind.Undefined && entries.Count > 0)
            {
                chosen = entries[0];
            }

            if (chosen.ValueKind == JsonValueKind.Object && (String(chosen, "value") ?? String(chosen, "display")) is { } role)
            {
                return role;
            }
        }

        return String(user, "title");
    }

    /// <summary>The trimmed string value of a property; null when absent, not a string, or blank.</summary>
    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            && value.GetString()?.Trim() is { Length: > 0 } text
            ? text
            : null;

    private static bool ContainsString(JsonElement array, string value) =>
        array.ValueKind == JsonValueKind.Array
        && array.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == value);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
