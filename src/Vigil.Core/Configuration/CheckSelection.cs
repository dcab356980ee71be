using Vigil.Core.Checks;
using Vigil.Core.Settings;

namespace Vigil.Core.Configuration;

/// <summary>
/// Which checks are enabled: a list of check ids and families (<c>access</c>, <c>zones</c>, <c>dns</c>, ...), or <c>all</c>.
/// A family is the folder a check lives in under <c>Checks/</c>, so a new family needs no registration here.
/// Checks left out are not evaluated and the sync does not read the data only they need.
/// </summary>
public static class CheckSelection
{
    /// <summary>The text meaning every check.</summary>
    public const string All = "all";

    /// <summary>The check's family: its folder under Checks/, lower case (e.g. "access", "zones").</summary>
    public static string FamilyOf(ICheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var ns = check.GetType().Namespace ?? "";
        return ns[(ns.LastIndexOf('.') + 1)..].ToLowerInvariant();
    }

    /// <summary>Every family in the catalogue, in catalogue order.</summary>
    public static IReadOnlyList<string> Families => [.. CheckCatalog.All.Select(FamilyOf).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The checks a selection names, in catalogue order. Items are separated by commas or spaces; each is <c>all</c>, a
    /// family or a check id (case-insensitive).
    /// </summary>
    /// <exception cref="SettingValueException">An item names no family and no check, or the selection is empty.</exception>
    public static IReadOnlyList<ICheck> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var items = text.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Resolve(items);
    }

    /// <summary>The checks the given items name, in catalogue order (see <see cref="Parse"/>).</summary>
    /// <exception cref="SettingValueException">An item names no family and no check, or there are none.</exception>
    public static IReadOnlyList<ICheck> Resolve(IReadOnlyCollection<string> items)
    {
        if (items.Count == 0)
        {
            throw new SettingValueException($"no checks selected; name check ids or families ({string.Join(", ", Families)}) or '{All}'");
        }

        var chosen = new HashSet<ICheck>();
        foreach (var raw in items)
        {
            var item = raw.Trim();
            if (item.Equals(All, StringComparison.OrdinalIgnoreCase))
            {
                chosen.UnionWith(CheckCatalog.All);
                continue;
            }

            var family = CheckCatalog.All.Where(c => FamilyOf(c).Equals(item, StringComparison.OrdinalIgnoreCase)).ToList();
            if (family.Count > 0)
            {
                chosen.UnionWith(family);
            }
            else if (CheckCatalog.Find(item) is { } check)
            {
                chosen.Add(check);
            }
            else
            {
                throw new SettingValueException($"'{item}' is neither a check id nor a family; families: {string.Join(", ", Families)} (or '{All}'); 'vigil checks --list' lists the check ids");
            }
        }

        return [.. CheckCatalog.All.Where(chosen.Contains)];
    }

    /// <summary>The normal form of a selection: "all", or its families and ids as given, lower case, comma-separated.</summary>
    public static string Normalise(string text)
    {
        var checks = Parse(text);
        if (checks.Count == CheckCatalog.All.Count)
        {
            return All;
        }

        return string.Join(",", text.Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(i => i.ToLowerInvariant()).Distinct(StringComparer.Ordinal));
    }
}
