namespace Vigil.Core.Frameworks;

/// <summary>
/// The SOC 2 Common Criteria (AICPA Trust Services Criteria, 2017, revised points of focus 2022), every one of them,
/// including those no check covers: reports list the uncovered ones as needing manual evidence.
/// Titles are short paraphrases.
/// </summary>
public static class Soc2
{
    public const string Name = "SOC 2";

    public static readonly FrameworkControl CC1_1 = new(Name, "CC1.1", "Commitment to integrity and ethical values");
    public static readonly FrameworkControl CC1_2 = new(Name, "CC1.2", "Board independence and oversight");
    public static readonly FrameworkControl CC1_3 = new(Name, "CC1.3", "Structures, reporting lines and authorities");
    public static readonly FrameworkControl CC1_4 = new(Name, "CC1.4", "Commitment to competence");
    public static readonly FrameworkControl CC1_5 = new(Name, "CC1.5", "Accountability for internal control");
    public static readonly FrameworkControl CC2_1 = new(Name, "CC2.1", "Quality information supports internal control");
    public static readonly FrameworkControl CC2_2 = new(Name, "CC2.2", "Internal communication of objectives and responsibilities");
    public static readonly FrameworkControl CC2_3 = new(Name, "CC2.3", "Communication with external parties");
    public static readonly FrameworkControl CC3_1 = new(Name, "CC3.1", "Objectives specified to identify risks");
    public static readonly FrameworkControl CC3_2 = new(Name, "CC3.2", "Risks identified and analysed");
    public static readonly FrameworkControl CC3_3 = new(Name, "CC3.3", "Fraud risk considered");
    public static readonly FrameworkControl CC3_4 = new(Name, "CC3.4", "Significant changes identified and assessed");
    public static readonly FrameworkControl CC4_1 = new(Name, "CC4.1", "Ongoing and separate evaluations of controls");
    public static readonly FrameworkControl CC4_2 = new(Name, "CC4.2", "Deficiencies evaluated and communicated");
    public static readonly FrameworkControl CC5_1 = new(Name, "CC5.1", "Control activities mitigate risks");
    public static readonly FrameworkControl CC5_2 = new(Name, "CC5.2", "General controls over technology");
    public static readonly FrameworkControl CC5_3 = new(Name, "CC5.3", "Control activities deployed through policies and procedures");
    public static readonly FrameworkControl CC6_1 = new(Name, "CC6.1", "Logical access security over protected information assets");
    public static readonly FrameworkControl CC6_2 = new(Name, "CC6.2", "Users registered, authorised and removed");
    public static readonly FrameworkControl CC6_3 = new(Name, "CC6.3", "Access granted, changed and removed by role and least privilege");
    public static readonly FrameworkControl CC6_4 = new(Name, "CC6.4", "Physical access restricted");
    public static readonly FrameworkControl CC6_5 = new(Name, "CC6.5", "Assets disposed of securely");
    public static readonly FrameworkControl CC6_6 = new(Name, "CC6.6", "Protection against threats from outside the system boundary");
    public static readonly FrameworkControl CC6_7 = new(Name, "CC6.7", "Information protected in transmission");
    public static readonly FrameworkControl CC6_8 = new(Name, "CC6.8", "Unauthorised or malicious software prevented or detected");
    public static readonly FrameworkControl CC7_1 = new(Name, "CC7.1", "Configuration changes and vulnerabilities detected");
    public static readonly FrameworkControl CC7_2 = new(Name, "CC7.2", "System components monitored for anomalies");
    public static readonly FrameworkControl CC7_3 = new(Name, "CC7.3", "Security events evaluated");
    public static readonly FrameworkControl CC7_4 = new(Name, "CC7.4", "Security incidents responded to");
    public static readonly FrameworkControl CC7_5 = new(Name, "CC7.5", "Recovery from security incidents");
    public static readonly FrameworkControl CC8_1 = new(Name, "CC8.1", "Changes authorised, tested and approved");
    public static readonly FrameworkControl CC9_1 = new(Name, "CC9.1", "Business disruption risks mitigated");
    public static readonly FrameworkControl CC9_2 = new(Name, "CC9.2", "Vendor and partner risks managed");

    /// <summary>Every control above, in order.</summary>
    public static readonly IReadOnlyList<FrameworkControl> All =
    [
        CC1_1, CC1_2, CC1_3, CC1_4, CC1_5, CC2_1, CC2_2, CC2_3, CC3_1, CC3_2, CC3_3, CC3_4, CC4_1, CC4_2, CC5_1, CC5_2, CC5_3,
        CC6_1, CC6_2, CC6_3, CC6_4, CC6_5, CC6_6, CC6_7, CC6_8, CC7_1, CC7_2, CC7_3, CC7_4, CC7_5, CC8_1, CC9_1, CC9_2,
    ];
}
