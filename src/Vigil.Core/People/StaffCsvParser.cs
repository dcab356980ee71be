using System.Globalization;

namespace Vigil.Core.People;

/// <summary>
/// Reads a staff directory exported as CSV. Header (names case-insensitive, any order):
/// <c>email,name,status,org_role,offboarded_on</c>, optionally <c>aliases</c> (semicolon-separated) and <c>manager</c>.
/// <c>status</c> is <c>active</c> or <c>offboarded</c>; <c>offboarded_on</c> is YYYY-MM-DD, may be empty for an
/// offboarded person and must be empty for an active one.
/// </summary>
public static class StaffCsvParser
{
    private const string EmailColumn = "email";
    private const string NameColumn = "name";
    private const string StatusColumn = "status";
    private const string OrgRoleColumn = "org_role";
    private const string OffboardedOnColumn = "offboarded_on";
    private const string AliasesColumn = "aliases";
    private const string ManagerColumn = "manager";

    private static readonly string[] RequiredColumns = [EmailColumn, NameColumn, StatusColumn, OrgRoleColumn, OffboardedOnColumn];
    private static readonly string[] OptionalColumns = [AliasesColumn, ManagerColumn];

    /// <param name="fileName">Used only to locate errors, e.g. "staff.csv".</param>
    public static StaffParseResult Parse(TextReader reader, string fileName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var people = new List<Person>();
        var errors = new List<StaffImportError>();
        using var records = CsvReader.Read(reader).GetEnumerator();

        if (!records.MoveNext())
        {
            errors.Add(new StaffImportError(fileName, 1, "", $"the file is empty; expected a header row: {string.Join(',', RequiredColumns)}"));
            return new StaffParseResult(people, errors);
        }

        var columns = ReadHeader(records.Current, fileName, errors);
        if (columns is null)
        {
            return new StaffParseResult(people, errors);
        }

        var claims = new AddressClaims();
        while (records.MoveNext())
        {
            var record = records.Current;
            var rowErrors = new List<StaffImportError>();
            var person = ReadRow(record, columns, fileName, rowErrors);
            if (person is not null)
            {
                CheckAddresses(person, record.Line, claims, fileName, rowErrors);
            }

            if (person is not null && rowErrors.Count == 0)
            {
                claims.Claim(person, $"line {record.Line}");
                people.Add(person);
            }

            errors.AddRange(rowErrors);
        }

        return new StaffParseResult(people, errors);
    }

    private static Dictionary<string, int>? ReadHeader(CsvRecord header, string fileName, List<StaffImportError> errors)
    {
        if (header.Error is not null)
        {
            errors.Add(new StaffImportError(fileName, header.Line, "", header.Error));
            return null;
        }

        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (name.Length == 0)
            {
                errors.Add(new StaffImportError(fileName, header.Line, "", $"header field {i + 1} has no column name"));
            }
            else if (!RequiredColumns.Contains(name, StringComparer.OrdinalIgnoreCase) && !OptionalColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new StaffImportError(fileName, header.Line, name,
                    $"unknown column; expected {string.Join(", ", RequiredColumns)} and optionally {string.Join(", ", OptionalColumns)}"));
            }
            else if (!columns.TryAdd(name, i))
            {
                errors.Add(new StaffImportError(fileName, header.Line, name, "column appears twice"));
            }
        }

        foreach (var required in RequiredColumns.Where(c => !columns.ContainsKey(c)))
        {
            errors.Add(new StaffImportError(fileName, header.Line, required, "required column is missing"));
        }

        return errors.Count == 0 ? columns : null;
    }

    private static Person? ReadRow(CsvRecord record, Dictionary<string, int> columns, string fileName, List<StaffImportError> errors)
    {
        if (record.Error is not null)
        {
            errors.Add(new StaffImportError(fileName, record.Line, "", record.Error));
            return null;
        }

        if (record.Fields.Count != columns.Count)
        {
            errors.Add(new StaffImportError(fileName, record.Line, "", $"row has {record.Fields.Count} fields; the header has {columns.Count}"));
            return null;
        }

        string Field(string column) => columns.TryGetValue(column, out var i) ? record.Fields[i].Trim() : "";
        void Error(string column, string message) => errors.Add(new StaffImportError(fileName, record.Line, column, message));

        var email = Field(EmailColumn);
        if (email.Length == 0)
        {
            Error(EmailColumn, "email is empty");
        }
        else if (!EmailAddress.IsValid(email))
        {
            Error(EmailColumn, $"'{email}' is not an email address");
        }

        var name = Field(NameColumn);
        if (name.Length == 0)
        {
            Error(NameColumn, "name is empty");
        }

        var statusText = Field(StatusColumn);
        PersonStatus? status = statusText.ToLowerInvariant() switch
        {
            "active" => PersonStatus.Active,
            "offboarded" => PersonStatus.Offboarded,
            _ => null,
        };
        if (status is null)
        {
            Error(StatusColumn, $"'{statusText}' is not active or offboarded");
        }

        DateOnly? offboardedOn = null;
        var offboardedText = Field(OffboardedOnColumn);
        if (offboardedText.Length > 0)
        {
            if (!DateOnly.TryParseExact(offboardedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Error(OffboardedOnColumn, $"'{offboardedText}' is not a date in the form YYYY-MM-DD");
            }
            else if (status == PersonStatus.Active)
            {
                Error(OffboardedOnColumn, $"'{offboardedText}' is set but the person is active; clear it or set status to offboarded");
            }
            else
            {
                offboardedOn = date;
            }
        }

        var aliases = new List<string>();
        foreach (var alias in Field(AliasesColumn).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!EmailAddress.IsValid(alias))
            {
                Error(AliasesColumn, $"'{alias}' is not an email address");
            }
            else if (!alias.Equals(email, StringComparison.OrdinalIgnoreCase) && !aliases.Contains(alias, StringComparer.OrdinalIgnoreCase))
            {
                aliases.Add(alias);
            }
        }

        var manager = Field(ManagerColumn);
        if (manager.Length > 0 && !EmailAddress.IsValid(manager))
        {
            Error(ManagerColumn, $"'{manager}' is not an email address");
        }

        var orgRole = Field(OrgRoleColumn);
        return errors.Count > 0 || status is null
            ? null
            : new Person(email, name, status.Value, orgRole.Length > 0 ? orgRole : null, offboardedOn, aliases, manager.Length > 0 ? manager : null);
    }

    private static void CheckAddresses(Person person, int line, AddressClaims claims, string fileName, List<StaffImportError> errors)
    {
        if (claims.EmailConflict(person.Email) is { } emailConflict)
        {
            errors.Add(new StaffImportError(fileName, line, EmailColumn, emailConflict));
        }

        foreach (var alias in person.Aliases)
        {
            if (claims.Conflict(alias, person.Email) is { } aliasConflict)
            {
                errors.Add(new StaffImportError(fileName, line, AliasesColumn, aliasConflict));
            }
        }
    }
}
