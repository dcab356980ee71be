using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Vigil.Simulation;

internal readonly record struct PageRequest(int Page, int PerPage)
{
    /// <summary>The items of this page and the result_info Cloudflare sends with them.</summary>
    public (ArraySegment<T> Items, ResultInfo Info) Slice<T>(T[] all)
    {
        var totalPages = (all.Length + PerPage - 1) / PerPage;
        var start = (long)(Page - 1) * PerPage;
        var items = start >= all.Length
            ? ArraySegment<T>.Empty
            : new ArraySegment<T>(all, (int)start, (int)Math.Min(PerPage, all.Length - start));
        return (items, new ResultInfo(Page, PerPage, items.Count, all.Length, totalPages));
    }
}

/// <summary>page/per_page as Cloudflare reads them: per_page clamps to [5, max], a bad page is a 400.</summary>
internal static class Paging
{
    public const int MinPerPage = 5;

    public static bool TryRead(HttpContext context, int defaultPerPage, int maxPerPage, out PageRequest request, [NotNullWhen(false)] out ApiFailure? failure)
    {
        request = default;
        failure = null;
        var query = context.Request.Query;
        var page = 1;
        if (query.TryGetValue("page", out var pageText) && !(int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) && page >= 1))
        {
            failure = ApiErrors.InvalidQuery("page must be an integer greater than or equal to 1");
            return false;
        }

        var perPage = defaultPerPage;
        if (query.TryGetValue("per_page", out var perPageText))
        {
            if (!int.TryParse(perPageText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out perPage))
            {
                failure = ApiErrors.InvalidQuery("per_page must be an integer");
                return false;
            }

            perPage = Math.Clamp(perPage, MinPerPage, maxPerPage);
        }

        request = new PageRequest(page, perPage);
        return true;
    }
}
