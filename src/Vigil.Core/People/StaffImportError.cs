namespace Vigil.Core.People;

/// <summary>A problem with one row or field of a staff import, located precisely enough to fix it.</summary>
/// <param name="File">The file name as given by the caller (e.g. "staff.csv").</param>
/// <param name="Line">1-based line in the file; 0 when the position is given by a JSON path in <paramref name="Column"/>.</param>
/// <param name="Column">The CSV column name, a JSON path starting with "$", or empty for a whole-row problem.</param>
public sealed record StaffImportError(string File, int Line, string Column, string Message)
{
    /// <summary>E.g. "staff.csv:7: column 'status': 'gone' is not active or offboarded".</summary>
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}" : File;
        if (Column.Length == 0)
        {
            return $"{where}: {Message}";
        }

        return Column.StartsWith('$') ? $"{where}: {Column}: {Message}" : $"{where}: column '{Column}': {Message}";
    }
}

/// <summary>
/// The outcome of parsing a staff file. Valid rows are returned even when others have errors, so that a caller
/// can choose to import them (<c>--skip-invalid</c>) or refuse the whole file.
/// </summary>
public sealed record StaffParseResult(IReadOnlyList<Person> People, IReadOnlyList<StaffImportError> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}
