using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Vigil.Simulation;

/// <summary>The caller: GET /user and user-token verification.</summary>
internal sealed class UserEndpoints(Authenticator authenticator)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapSimulatorRoute("/user", GetUserAsync);
        routes.MapSimulatorRoute("/user/tokens/verify", VerifyAsync, RouteAuth.UserTokenVerify);
    }

    private static Task GetUserAsync(HttpContext context)
    {
        var caller = context.Caller();
        if (caller.Kind == PrincipalKind.AccountToken)
        {
            // Account-owned tokens have no user behind them (REFERENCE.md §2: 403 / 9109).
            return context.FailAsync(ApiErrors.Unauthorized);
        }

        if (caller.Kind == PrincipalKind.UserToken && !caller.Token!.Permissions.Any(p => PermissionGroups.Satisfies(p.Group, PermissionGroups.UserDetailsRead)))
        {
            return context.FailAsync(ApiErrors.AuthenticationError);
        }

        var user = caller.User ?? new ScenarioUser { Id = caller.Token!.Id, Email = "simulated.user@example.com" };
        var dto = new UserDto(
            user.Id,
            user.Email,
            user.FirstName,
            user.LastName,
            null,
            null,
            null,
            null,
            new DateTime(2020, 5, 4, 10, 0, 0, DateTimeKind.Utc),
            new DateTime(2026, 2, 1, 10, 0, 0, DateTimeKind.Utc),
            user.TwoFactorAuthenticationEnabled,
            false,
            false,
            false,
            false,
            false);
        return Envelope.WriteSuccessAsync(context, dto, ApiJsonContext.Default.UserDto);
    }

    private Task VerifyAsync(HttpContext context) => AccountEndpoints.VerifyAsync(context, authenticator, context.Caller().Token!);
}
