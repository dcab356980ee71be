namespace Vigil.Core.Frameworks;

/// <summary>
/// ISO/IEC 27001:2022 Annex A controls that bear on a CDN, DNS and access-management platform such as Cloudflare,
/// including those no check covers: reports list the uncovered ones as needing manual evidence. Titles are the control names.
/// </summary>
public static class Iso27001
{
    public const string Name = "ISO/IEC 27001:2022";

    public static readonly FrameworkControl A5_1 = new(Name, "A.5.1", "Policies for information security");
    public static readonly FrameworkControl A5_3 = new(Name, "A.5.3", "Segregation of duties");
    public static readonly FrameworkControl A5_9 = new(Name, "A.5.9", "Inventory of information and other associated assets");
    public static readonly FrameworkControl A5_15 = new(Name, "A.5.15", "Access control");
    public static readonly FrameworkControl A5_16 = new(Name, "A.5.16", "Identity management");
    public static readonly FrameworkControl A5_17 = new(Name, "A.5.17", "Authentication information");
    public static readonly FrameworkControl A5_18 = new(Name, "A.5.18", "Access rights");
    public static readonly FrameworkControl A5_19 = new(Name, "A.5.19", "Information security in supplier relationships");
    public static readonly FrameworkControl A5_23 = new(Name, "A.5.23", "Information security for use of cloud services");
    public static readonly FrameworkControl A5_28 = new(Name, "A.5.28", "Collection of evidence");
    public static readonly FrameworkControl A5_36 = new(Name, "A.5.36", "Compliance with policies, rules and standards for information security");
    public static readonly FrameworkControl A6_5 = new(Name, "A.6.5", "Responsibilities after termination or change of employment");
    public static readonly FrameworkControl A8_2 = new(Name, "A.8.2", "Privileged access rights");
    public static readonly FrameworkControl A8_3 = new(Name, "A.8.3", "Information access restriction");
    public static readonly FrameworkControl A8_5 = new(Name, "A.8.5", "Secure authentication");
    public static readonly FrameworkControl A8_9 = new(Name, "A.8.9", "Configuration management");
    public static readonly FrameworkControl A8_15 = new(Name, "A.8.15", "Logging");
    public static readonly FrameworkControl A8_16 = new(Name, "A.8.16", "Monitoring activities");
    public static readonly FrameworkControl A8_20 = new(Name, "A.8.20", "Networks security");
    public static readonly FrameworkControl A8_21 = new(Name, "A.8.21", "Security of network services");
    public static readonly FrameworkControl A8_22 = new(Name, "A.8.22", "Segregation of networks");
    public static readonly FrameworkControl A8_23 = new(Name, "A.8.23", "Web filtering");
    public static readonly FrameworkControl A8_24 = new(Name, "A.8.24", "Use of cryptography");
    public static readonly FrameworkControl A8_26 = new(Name, "A.8.26", "Application security requirements");
    public static readonly FrameworkControl A8_32 = new(Name, "A.8.32", "Change management");

    /// <summary>Every control above, in order.</summary>
    public static readonly IReadOnlyList<FrameworkControl> All =
    [
        A5_1, A5_3, A5_9, A5_15, A5_16, A5_17, A5_18, A5_19, A5_23, A5_28, A5_36, A6_5,
        A8_2, A8_3, A8_5, A8_9, A8_15, A8_16, A8_20, A8_21, A8_22, A8_23, A8_24, A8_26, A8_32,
    ];
}
