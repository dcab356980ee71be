namespace Vigil.Core.People;

/// <summary>The staff directory, looked up by email or alias (case-insensitive). An email match wins over an alias match.</summary>
public sealed class StaffDirectory
{
    private readonly Dictionary<string, Person> _byEmail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Person> _byAlias = new(StringComparer.OrdinalIgnoreCase);

    public StaffDirectory(IEnumerable<Person> people)
    {
        ArgumentNullException.ThrowIfNull(people);
        var all = new List<Person>();
        foreach (var person in people)
        {
            if (_byEmail.TryAdd(person.Email.Trim(), person))
            {
                all.Add(person);
            }
        }

        foreach (var person in all)
        {
            foreach (var alias in person.Aliases)
            {
                _byAlias.TryAdd(alias.Trim(), person);
            }
        }

        People = all;
    }

    public static StaffDirectory Empty { get; } = new([]);

    /// <summary>Everyone in the directory, in the order given (first of any duplicate email kept).</summary>
    public IReadOnlyList<Person> People { get; }

    /// <summary>The person whose email is <paramref name="address"/>; null when none.</summary>
    public Person? FindByEmail(string address) => _byEmail.GetValueOrDefault(address.Trim());

    /// <summary>The person whose email, or else one of whose aliases, is <paramref name="address"/>; null when none.</summary>
    public Person? Find(string address) => Find(address, out _);

    /// <param name="viaAlias">True when the match was on an alias rather than the email.</param>
    public Person? Find(string address, out bool viaAlias)
    {
        ArgumentNullException.ThrowIfNull(address);
        var key = address.Trim();
        if (_byEmail.TryGetValue(key, out var person))
        {
            viaAlias = false;
            return person;
        }

        viaAlias = _byAlias.TryGetValue(key, out person);
        return person;
    }
}
