using Vigil.Core.People;
using Vigil.Storage;

namespace Vigil.App.Queries;

/// <summary>A person in the staff directory.</summary>
/// <param name="Status">active or offboarded.</param>
public sealed record PersonView(string Email, string Name, string Status, string? OrgRole, DateOnly? OffboardedOn, IReadOnlyList<string> Aliases, string? ManagerEmail);

/// <summary>The staff directory, ordered by email (case-insensitive), searched as it streams.</summary>
public static class PeopleQuery
{
    /// <param name="search">Text found (case-insensitive) in the email, name, an alias or the org role; null: everyone.</param>
    public static async Task<Page<PersonView>> ListAsync(IVigilStore store, string? search, PageRequest page, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(page);
        page.Validate();
        var text = search?.Trim() is { Length: > 0 } s ? s : null;
        var items = new List<PersonView>();
        var matched = 0;
        await foreach (var person in store.StreamPeopleAsync(ct))
        {
            if (text is not null && !Matches(person, text))
            {
                continue;
            }

            if (matched >= page.Offset && items.Count < page.Limit)
            {
                items.Add(View(person));
            }
            matched++;
        }

        return new Page<PersonView>(items, matched, page.Offset, page.Limit, page.Offset + items.Count < matched ? page.Offset + items.Count : null);
    }

    public static PersonView View(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new PersonView(person.Email, person.Name, Text.Of(person.Status), person.OrgRole, person.OffboardedOn, person.Aliases, person.ManagerEmail);
    }

    private static bool Matches(Person person, string text) =>
        person.Email.Contains(text, StringComparison.OrdinalIgnoreCase)
        || person.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
        || (person.OrgRole?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
        || person.Aliases.Any(a => a.Contains(text, StringComparison.OrdinalIgnoreCase));
}
