using System.Globalization;
using System.Text;

namespace Vigil.App.Queries;

/// <summary>One page of a list: <paramref name="Offset"/> items skipped, at most <paramref name="Limit"/> returned.</summary>
public sealed record PageRequest(int Offset = 0, int Limit = PageRequest.DefaultLimit)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>A page from a request's <c>limit</c> and opaque <c>cursor</c> (null: defaults).</summary>
    /// <exception cref="InvalidRequestException">The limit is out of range or the cursor is not one Vigil gave.</exception>
    public static PageRequest From(int? limit, string? cursor)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit)
        {
            throw new InvalidRequestException($"limit must be between 1 and {MaxLimit}", "limit");
        }

        return new PageRequest(PageCursor.Decode(cursor), size);
    }

    internal void Validate()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            throw new InvalidRequestException($"limit must be between 1 and {MaxLimit}", "limit");
        }

        if (Offset < 0)
        {
            throw new InvalidRequestException("offset must not be negative", "cursor");
        }
    }
}

/// <summary>One page of a list in its stable order.</summary>
/// <param name="Total">Items matching the filter across all pages.</param>
/// <param name="NextOffset">Where the next page starts; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit, int? NextOffset)
{
    /// <summary>The opaque cursor of the next page; null on the last page.</summary>
    public string? NextCursor => NextOffset is { } next ? PageCursor.Encode(next) : null;

    /// <summary>The requested page of a list already in its stable order.</summary>
    public static Page<T> Of(IReadOnlyList<T> all, PageRequest page)
    {
        page.Validate();
        var items = all.Skip(page.Offset).Take(page.Limit).ToList();
        return new Page<T>(items, all.Count, page.Offset, page.Limit, page.Offset + items.Count < all.Count ? page.Offset + items.Count : null);
    }
}

/// <summary>
/// The opaque cursor of a paginated list: the position in the list's stable order, so that a client follows
/// <c>next_cursor</c> and never builds one.
/// </summary>
public static class PageCursor
{
    private const string Prefix = "o:";

    public static string Encode(int offset) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="InvalidRequestException">Not a cursor Vigil gave.</exception>
    public static int Decode(string? cursor)
    {
        if (string.IsNullOrWhiteSpace(cursor))
        {
            return 0;
        }

        try
        {
            var base64 = cursor.Trim().Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
            {
                return offset;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidRequestException("cursor is not one this API gave; follow next_cursor from the previous page", "cursor");
    }
}
