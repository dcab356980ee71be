namespace Vigil.Simulation;

internal enum PrincipalKind
{
    UserToken,
    AccountToken,
    GlobalKey,
}

/// <summary>The authenticated caller of one request and what it may read.</summary>
internal sealed class Principal(PrincipalKind kind, ScenarioToken? token, ScenarioUser? user, SimulatorState state)
{
    public PrincipalKind Kind { get; } = kind;
    public ScenarioToken? Token { get; } = token;

    /// <summary>The user behind a global key or user token (null for account tokens).</summary>
    public ScenarioUser? User { get; } = user;

    private bool ReachesAccount(string accountId) =>
        Kind switch
        {
            PrincipalKind.AccountToken => string.Equals(Token!.AccountId, accountId, StringComparison.Ordinal),
            _ => User is null || User.AccountIds.Count == 0 || User.AccountIds.Contains(accountId, StringComparer.Ordinal),
        };

    /// <summary>True when the caller holds <paramref name="group"/> for the account (zoneId null) or for one zone of it.</summary>
    public bool Grants(string group, string accountId, string? zoneId = null)
    {
        if (!ReachesAccount(accountId))
        {
            return false;
        }

        if (Kind == PrincipalKind.GlobalKey)
        {
            return true;
        }

        foreach (var permission in Token!.Permissions)
        {
            if (!PermissionGroups.Satisfies(permission.Group, group))
            {
                continue;
            }

            if (permission.AccountIds.Count == 0 && permission.ZoneIds.Count == 0)
            {
                return true;
            }

            if (permission.AccountIds.Contains(accountId, StringComparer.Ordinal))
            {
                return true;
            }

            if (zoneId is not null && permission.ZoneIds.Contains(zoneId, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public bool GrantsAny(ReadOnlySpan<string> groups, string accountId, string? zoneId = null)
    {
        foreach (var group in groups)
        {
            if (Grants(group, accountId, zoneId))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An account shows in GET /accounts when any permission reaches it or one of its zones.</summary>
    public bool CanSeeAccount(ScenarioAccount account)
    {
        if (!ReachesAccount(account.Id))
        {
            return false;
        }

        if (Kind == PrincipalKind.GlobalKey)
        {
            return true;
        }

        foreach (var permission in Token!.Permissions)
        {
            if ((permission.AccountIds.Count == 0 && permission.ZoneIds.Count == 0)
                || permission.AccountIds.Contains(account.Id, StringComparer.Ordinal))
            {
                return true;
            }

            foreach (var zoneId in permission.ZoneIds)
            {
                if (state.ZonesById.TryGetValue(zoneId, out var zone) && ReferenceEquals(zone.Account, account))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the caller holds the group somewhere, so a denial is about scope rather than a missing group.</summary>
    public bool HoldsGroup(string group) =>
        Kind == PrincipalKind.GlobalKey || Token!.Permissions.Any(p => PermissionGroups.Satisfies(p.Group, group));
}
