namespace Vigil.Core.People;

/// <summary>One person whose directory entry an import changes, with the names of the fields that differ.</summary>
/// <param name="ChangedFields">"email" (case only), "name", "status", "org_role", "offboarded_on", "aliases", "manager".</param>
public sealed record PersonChange(Person Before, Person After, IReadOnlyList<string> ChangedFields);

/// <summary>
/// What an import would do to the stored directory. People missing from the import are reported, never deleted:
/// an HR export that forgets someone must not silently erase the record that they were offboarded.
/// </summary>
public sealed record StaffImportPlan(
    IReadOnlyList<Person> Added,
    IReadOnlyList<PersonChange> Updated,
    IReadOnlyList<Person> Unchanged,
    IReadOnlyList<Person> MissingFromImport)
{
    /// <summary>The people to upsert: added and updated.</summary>
    public IReadOnlyList<Person> ToUpsert => [.. Added, .. Updated.Select(u => u.After)];
}

/// <summary>Compares an imported staff list with the stored one, matching people by email (case-insensitive).</summary>
public static class StaffImport
{
    public static StaffImportPlan Plan(IReadOnlyList<Person> existing, IReadOnlyList<Person> imported)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(imported);
        var stored = new Dictionary<string, Person>(StringComparer.OrdinalIgnoreCase);
        foreach (var person in existing)
        {
            stored.TryAdd(person.Email, person);
        }

        var added = new List<Person>();
        var updated = new List<PersonChange>();
        var unchanged = new List<Person>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var person in imported)
        {
            if (!seen.Add(person.Email))
            {
                continue;
            }

            if (!stored.TryGetValue(person.Email, out var before))
            {
                added.Add(person);
                continue;
            }

            var changes = Differences(before, person);
            if (changes.Count == 0)
            {
                unchanged.Add(person);
            }
            else
            {
                updated.Add(new PersonChange(before, person, changes));
            }
        }

        var missing = existing.Where(p => !seen.Contains(p.Email)).DistinctBy(p => p.Email, StringComparer.OrdinalIgnoreCase).ToList();
        return new StaffImportPlan(added, updated, unchanged, missing);
    }

    private static List<string> Differences(Person before, Person after)
    {
        var changes = new List<string>();
        if (!string.Equals(before.Email, after.Email, StringComparison.Ordinal))
        {
            changes.Add("email");
        }

        if (!string.Equals(before.Name, after.Name, StringComparison.Ordinal))
        {
            changes.Add("name");
        }

        if (before.Status != after.Status)
        {
            changes.Add("status");
        }

        if (!string.Equals(before.OrgRole, after.OrgRole, StringComparison.Ordinal))
        {
            changes.Add("org_role");
        }

        if (before.OffboardedOn != after.OffboardedOn)
        {
            changes.Add("offboarded_on");
        }

        if (!new HashSet<string>(before.Aliases, StringComparer.OrdinalIgnoreCase).SetEquals(after.Aliases))
        {
            changes.Add("aliases");
        }

        if (!string.Equals(before.ManagerEmail, after.ManagerEmail, StringComparison.OrdinalIgnoreCase))
        {
            changes.Add("manager");
        }

        return changes;
    }
}
