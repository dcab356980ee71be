namespace Vigil.Core.Inventory;

/// <summary>A Cloudflare account as synced. <paramref name="EnforceTwoFactor"/> is null when the API did not report it.</summary>
/// <param name="Id">Cloudflare account id (32 hex characters).</param>
/// <param name="ConnectionId">The Vigil connection whose credential read this account.</param>
public sealed record CloudflareAccount(string Id, string Name, bool? EnforceTwoFactor, string ConnectionId);
