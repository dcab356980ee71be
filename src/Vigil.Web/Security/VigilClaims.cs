using System.Globalization;
using System.Security.Claims;
using Vigil.Core.Organisations;
using Vigil.Core.Users;

namespace Vigil.Web.Security;

/// <summary>The claims a signed-in principal carries (cookie or API key), and reading them back.</summary>
internal static class VigilClaims
{
    public const string OrganisationId = "vigil:org";
    public const string OrganisationName = "vigil:org_name";
    public const string OrganisationCreated = "vigil:org_created";
    public const string SecurityStamp = "vigil:stamp";

    public static ClaimsPrincipal Principal(WebUser user, Organisation organisation, string authenticationType) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Email),
            new Claim(ClaimTypes.Email, user.Email),
            new Claim(ClaimTypes.Role, WebUser.RoleName(user.Role)),
            new Claim(OrganisationId, organisation.Id),
            new Claim(OrganisationName, organisation.Name),
            new Claim(OrganisationCreated, organisation.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
            new Claim(SecurityStamp, user.SecurityStamp),
        ], authenticationType, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>The signed-in user's email (lower-cased).</summary>
    public static string Email(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.Email) ?? throw new InvalidOperationException("the request has no signed-in user");

    public static UserRole Role(this ClaimsPrincipal principal) =>
        WebUser.ParseRole(principal.FindFirstValue(ClaimTypes.Role)) ?? throw new InvalidOperationException("the request has no signed-in user");

    /// <summary>The organisation the signed-in user belongs to; every request works on its data only.</summary>
    public static Organisation Organisation(this ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(OrganisationId) ?? throw new InvalidOperationException("the request has no signed-in user");
        var created = long.TryParse(principal.FindFirstValue(OrganisationCreated), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.UnixEpoch;
        return new Organisation(id, principal.FindFirstValue(OrganisationName) ?? id, created);
    }
}

/// <summary>The authorisation policies; every endpoint other than /health and the sign-in page needs at least <see cref="Viewer"/>.</summary>
internal static class VigilPolicies
{
    /// <summary>Any signed-in user: reads.</summary>
    public const string Viewer = "viewer";

    /// <summary>Admins and reviewers: review decisions (each reviewer only on their own items, checked by the operation).</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Admins only: connections, syncs, mappings, settings, campaigns.</summary>
    public const string Admin = "admin";
}

/// <summary>The authentication schemes.</summary>
internal static class VigilSchemes
{
    /// <summary>Picks <see cref="ApiKey"/> for a Bearer header, <see cref="Cookie"/> otherwise.</summary>
    public const string Default = "vigil";
    public const string Cookie = "vigil-cookie";
    public const string ApiKey = "vigil-api-key";
}
