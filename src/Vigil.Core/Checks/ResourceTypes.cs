namespace Vigil.Core.Checks;

/// <summary>Values of <see cref="Finding.ResourceType"/>.</summary>
public static class ResourceTypes
{
    public const string Member = "member";
    public const string Account = "account";
    public const string Zone = "zone";
    public const string System = "system";
    /// <summary>The snapshot as a whole, for findings such as "no access data synced yet".</summary>
    public const string Snapshot = "snapshot";
    /// <summary>An account-owned API token.</summary>
    public const string Token = "token";
    /// <summary>One DNS record; its resource id is the record's name (e.g. "www.shop.example"), so an exception can name it.</summary>
    public const string DnsRecord = "dns_record";
}
