namespace Vigil.Core.Frameworks;

/// <summary>
/// PCI DSS v4.0.1 requirements that bear on an edge, DNS and access-management platform such as Cloudflare: the twelve
/// principal requirements and the sub-requirements checks can give evidence for, including those no check covers (reports
/// list them as needing other evidence). Titles are short paraphrases, not the standard's text.
/// </summary>
public static class PciDss
{
    public const string Name = "PCI DSS v4.0.1";

    public static readonly FrameworkControl R1 = new(Name, "1", "Network security controls installed and maintained");
    public static readonly FrameworkControl R1_2_1 = new(Name, "1.2.1", "Configuration standards for network security controls");
    public static readonly FrameworkControl R1_3_1 = new(Name, "1.3.1", "Inbound traffic to the cardholder data environment restricted");
    public static readonly FrameworkControl R1_4_1 = new(Name, "1.4.1", "Controls between trusted and untrusted networks");
    public static readonly FrameworkControl R1_4_2 = new(Name, "1.4.2", "Inbound traffic from untrusted networks restricted");
    public static readonly FrameworkControl R2 = new(Name, "2", "Secure configurations applied to all system components");
    public static readonly FrameworkControl R2_2 = new(Name, "2.2", "System components configured and managed securely");
    public static readonly FrameworkControl R2_2_7 = new(Name, "2.2.7", "Non-console administrative access encrypted");
    public static readonly FrameworkControl R3 = new(Name, "3", "Stored account data protected");
    public static readonly FrameworkControl R4 = new(Name, "4", "Cardholder data protected with strong cryptography in transit");
    public static readonly FrameworkControl R4_2_1 = new(Name, "4.2.1", "Strong cryptography and trusted certificates for transmission over open networks");
    public static readonly FrameworkControl R5 = new(Name, "5", "Systems and networks protected from malicious software");
    public static readonly FrameworkControl R6 = new(Name, "6", "Secure systems and software developed and maintained");
    public static readonly FrameworkControl R6_4_1 = new(Name, "6.4.1", "Public-facing web applications protected against attacks");
    public static readonly FrameworkControl R6_4_2 = new(Name, "6.4.2", "Automated technical solution detects and prevents web attacks");
    public static readonly FrameworkControl R7 = new(Name, "7", "Access restricted by business need to know");
    public static readonly FrameworkControl R7_2_1 = new(Name, "7.2.1", "Access control model defined");
    public static readonly FrameworkControl R7_2_2 = new(Name, "7.2.2", "Access assigned by job classification and least privilege");
    public static readonly FrameworkControl R7_2_4 = new(Name, "7.2.4", "User accounts and access privileges reviewed at least every six months");
    public static readonly FrameworkControl R7_2_5 = new(Name, "7.2.5", "System and application accounts assigned least privilege");
    public static readonly FrameworkControl R8 = new(Name, "8", "Users identified and authenticated");
    public static readonly FrameworkControl R8_2_1 = new(Name, "8.2.1", "Every user has a unique ID");
    public static readonly FrameworkControl R8_2_2 = new(Name, "8.2.2", "Shared and generic accounts only by exception");
    public static readonly FrameworkControl R8_2_4 = new(Name, "8.2.4", "User IDs added, changed and removed as authorised");
    public static readonly FrameworkControl R8_2_5 = new(Name, "8.2.5", "Access of terminated users revoked immediately");
    public static readonly FrameworkControl R8_2_6 = new(Name, "8.2.6", "Inactive user accounts removed or disabled within 90 days");
    public static readonly FrameworkControl R8_3_1 = new(Name, "8.3.1", "User access authenticated with at least one factor");
    public static readonly FrameworkControl R8_4_1 = new(Name, "8.4.1", "MFA for non-console administrative access to the CDE");
    public static readonly FrameworkControl R8_4_2 = new(Name, "8.4.2", "MFA for all access into the CDE");
    public static readonly FrameworkControl R8_4_3 = new(Name, "8.4.3", "MFA for remote network access");
    public static readonly FrameworkControl R8_6_1 = new(Name, "8.6.1", "System and application accounts managed");
    public static readonly FrameworkControl R8_6_3 = new(Name, "8.6.3", "Passwords and passphrases of application accounts protected and rotated");
    public static readonly FrameworkControl R9 = new(Name, "9", "Physical access to cardholder data restricted");
    public static readonly FrameworkControl R10 = new(Name, "10", "Access to system components and cardholder data logged and monitored");
    public static readonly FrameworkControl R10_2_1 = new(Name, "10.2.1", "Audit logs enabled and active for all system components");
    public static readonly FrameworkControl R10_3_3 = new(Name, "10.3.3", "Audit logs backed up to a central, secure log server");
    public static readonly FrameworkControl R10_4_1 = new(Name, "10.4.1", "Audit logs reviewed at least daily");
    public static readonly FrameworkControl R10_5_1 = new(Name, "10.5.1", "Audit log history retained for at least 12 months");
    public static readonly FrameworkControl R11 = new(Name, "11", "Security of systems and networks tested regularly");
    public static readonly FrameworkControl R12 = new(Name, "12", "Information security supported by organisational policies and programs");

    /// <summary>Every requirement above, in order.</summary>
    public static readonly IReadOnlyList<FrameworkControl> All =
    [
        R1, R1_2_1, R1_3_1, R1_4_1, R1_4_2, R2, R2_2, R2_2_7, R3, R4, R4_2_1, R5, R6, R6_4_1, R6_4_2,
        R7, R7_2_1, R7_2_2, R7_2_4, R7_2_5, R8, R8_2_1, R8_2_2, R8_2_4, R8_2_5, R8_2_6, R8_3_1, R8_4_1, R8_4_2, R8_4_3,
        R8_6_1, R8_6_3, R9, R10, R10_2_1, R10_3_3, R10_4_1, R10_5_1, R11, R12,
    ];
}
