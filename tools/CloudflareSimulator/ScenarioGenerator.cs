namespace Vigil.Simulation;

/// <summary>Builds large, realistic, deterministic organisations for tests and benchmarks.</summary>
public static class ScenarioGenerator
{
    /// <summary>User token with every read permission in every generated scenario.</summary>
    public const string AllReadToken = "cfut_GenReadAll7Qm2Xv9Kp4Lw8Zt3Hb6Df1Sj5Gy0Ca";

    /// <summary>Owner of <see cref="GlobalApiKey"/> in every generated scenario; reaches every account.</summary>
    public const string AdminEmail = "it-admin@generated-org.example";

    public const string GlobalApiKey = "cfk_0d9e8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b";

    private static readonly string[] FirstNames =
        ["Ada", "Ben", "Chloe", "Diego", "Elif", "Farid", "Greta", "Hana", "Ivan", "Jun", "Kemi", "Lars", "Maya", "Nils", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor", "Wen", "Yara", "Zane"];

    private static readonly string[] LastNames =
        ["Abara", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Singh", "Tanaka", "Ueda", "Varga", "Weber", "Xu", "Yilmaz"];

    private static readonly string[] Words =
        ["atlas", "beacon", "cobalt", "delta", "ember", "fjord", "granite", "harbor", "iris", "juniper", "kestrel", "lumen", "meridian", "nimbus", "orchid", "pioneer", "quartz", "summit", "tundra", "vertex"];

    private static readonly string[] Tlds = ["com", "io", "net", "dev", "app", "co"];

    private static readonly (string Name, string Description, string[] Permissions, int Weight)[] Roles =
    [
        ("Super Administrator - All Privileges", "Can edit any Cloudflare setting, make purchases, update billing, and manage memberships.",
            ["#billing:edit", "#member:edit", "#organization:edit", "#zones:edit", "#zone_settings:edit", "#dns_records:edit", "#waf:edit"], 3),
        ("Administrator", "Can access the full account, except for membership management and billing.",
            ["#organization:read", "#zones:edit", "#zone_settings:edit", "#dns_records:edit", "#waf:edit"], 12),
        ("Administrator Read Only", "Can access the full account in read-only mode.",
            ["#organization:read", "#zones:read", "#zone_settings:read", "#dns_records:read", "#waf:read"], 25),
        ("Billing", "Can edit the account's billing profile and subscriptions.", ["#billing:edit", "#billing:read", "#organization:read"], 5),
        ("DNS", "Can edit DNS records.", ["#dns_records:edit", "#dns_records:read", "#zones:read"], 25),
        ("Firewall", "Can edit WAF, IP Firewall, and Zone Lockdown settings.", ["#waf:edit", "#waf:read", "#zones:read"], 15),
        ("Analytics", "Can read Analytics.", ["#analytics:read", "#zones:read"], 15),
    ];

    private const string CloudflareManagedRuleset = "efb7b8c949ac4650a09736fc376e9aee";
    private const string OwaspRuleset = "4814384a9e5d4991b9815dcfc25d2f1f";

    /// <summary>
    /// An organisation with <paramref name="members"/> memberships spread over <paramref name="accounts"/> accounts (some
    /// people in several accounts, ~5% pending, ~10% without 2FA, ~3% without the 2FA flag, ~4% with policies but no roles)
    /// and <paramref name="zones"/> zones with a realistic mix of statuses and security settings. Same seed, same scenario.
    /// </summary>
    public static Scenario Generate(int accounts, int members, int zones, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accounts, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(members);
        ArgumentOutOfRangeException.ThrowIfNegative(zones);
        var random = new Random(seed);
        var scenario = new Scenario { Name = $"generated-{accounts}-{members}-{zones}-{seed}" };
        var baseDate = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

        for (var a = 0; a < accounts; a++)
        {
            var account = new ScenarioAccount
            {
                Id = NewId(random),
                Name = $"{Capitalise(Words[a % Words.Length])} {(a / Words.Length) + 1} Holdings",
                Type = a % 10 == 0 ? "enterprise" : "standard",
                CreatedOn = baseDate.AddDays(random.Next(0, 1500)),
                Settings = new AccountSettings { EnforceTwofactor = random.NextDouble() < 0.6 },
            };
            foreach (var (name, description, permissions, _) in Roles)
            {
                account.Roles.Add(new ScenarioRole { Id = NewId(random), Name = name, Description = description, Permissions = [.. permissions] });
            }

            scenario.Accounts.Add(account);
        }

        // People overlap across accounts: the pool is smaller than the number of memberships when there are several accounts.
        var people = accounts == 1 ? Math.Max(1, members) : Math.Max(1, members * 4 / 5);
        var totalWeight = Roles.Sum(r => r.Weight);
        for (var i = 0; i < members; i++)
        {
            var account = scenario.Accounts[i % accounts];
            var person = (int)(((long)i * 7919) % people);
            var first = FirstNames[person % FirstNames.Length];
            var last = LastNames[(person / FirstNames.Length) % LastNames.Length];
            var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{person}@generated-org.example";
            var roll = random.NextDouble();
            var pending = roll < 0.05;
            var member = new ScenarioMember
            {
                Id = NewId(random),
                Status = pending ? "pending" : "accepted",
                Email = email,
                User = new MemberUser
                {
                    Id = pending ? null : PersonId(person),
                    Email = email,
                    FirstName = pending ? null : first,
                    LastName = pending ? null : last,
                    TwoFactorAuthenticationEnabled = roll switch
                    {
                        < 0.05 => false,
                        < 0.15 => false,
                        < 0.18 => null,
                        _ => true,
                    },
                },
            };
            if (roll is >= 0.18 and < 0.22)
            {
                member.Policies.Add(new MemberPolicy
                {
                    Id = NewId(random),
                    PermissionGroups = [new PolicyPermissionGroup { Id = "c8fed203ed3043cba015a93ad1616f1f", Name = "Zone Read" }],
                    ResourceGroups =
                    [
                        new PolicyResourceGroup
                        {
                            Id = NewId(random),
                            ScopeKey = $"com.cloudflare.api.account.{account.Id}",
                            ScopeObjects = ["com.cloudflare.api.account.zone.*"],
                        },
                    ],
                });
            }
            else
            {
                var pick = random.Next(totalWeight);
                for (var r = 0; r < Roles.Length; r++)
                {
                    pick -= Roles[r].Weight;
                    if (pick < 0)
                    {
                        member.Roles.Add(account.Roles[r].Id);
                        break;
                    }
                }
            }

            account.Members.Add(member);
        }

        for (var z = 0; z < zones; z++)
        {
            var account = scenario.Accounts[z % accounts];
            account.Zones.Add(GenerateZone(random, z, baseDate));
        }

        scenario.Users.Add(new ScenarioUser
        {
            Id = NewId(random),
            Email = AdminEmail,
            FirstName = "IT",
            LastName = "Admin",
            GlobalApiKey = GlobalApiKey,
        });
        scenario.Tokens.Add(new ScenarioToken
        {
            Id = NewId(random),
            Value = AllReadToken,
            Name = "Read all resources",
            UserEmail = AdminEmail,
            Permissions = [.. PermissionGroups.AllRead.Select(g => new TokenPermission { Group = g })],
        });
        return scenario;
    }

    private static ScenarioZone GenerateZone(Random random, int index, DateTimeOffset baseDate)
    {
        var name = $"{Words[index % Words.Length]}-{index}.{Tlds[(index / Words.Length) % Tlds.Length]}";
        var roll = random.NextDouble();
        var (status, paused) = roll switch
        {
            < 0.05 => ("pending", false),
            < 0.08 => ("initializing", false),
            < 0.10 => ("moved", false),
            < 0.15 => ("active", true),
            _ => ("active", false),
        };
        var plan = random.Next(10) switch
        {
            < 4 => new ZonePlan(),
            < 7 => new ZonePlan { Id = "a577b510288e82b26486fe27b67e1aa5", Name = "Pro Website", LegacyId = "pro" },
            < 9 => new ZonePlan { Id = "b3a2d6f5c2e1a6b7c8d9e0f1a2b3c4d5", Name = "Business Website", LegacyId = "business" },
            _ => new ZonePlan { Id = "94f3b7b768b0458b56d2cac4fe5ec0f9", Name = "Enterprise Website", LegacyId = "enterprise" },
        };
        var hsts = random.NextDouble() < 0.5;
        var created = baseDate.AddDays(random.Next(0, 2000));
        var zone = new ScenarioZone
        {
            Id = NewId(random),
            Name = name,
            Status = status,
            Paused = paused,
            Plan = plan,
            CreatedOn = created,
            ActivatedOn = status == "active" ? created.AddHours(2) : null,
            ModifiedOn = created.AddDays(random.Next(1, 300)),
            DnssecStatus = random.Next(10) switch
            {
                < 5 => "active",
                < 9 => "disabled",
                _ => "pending",
            },
            Settings = new ZoneSettings
            {
                Ssl = Pick(random, ["off", "flexible", "flexible", "full", "full", "strict", "strict", "strict"]),
                MinTlsVersion = Pick(random, ["1.0", "1.0", "1.1", "1.2", "1.2", "1.2", "1.3"]),
                AlwaysUseHttps = random.NextDouble() < 0.7 ? "on" : "off",
                AutomaticHttpsRewrites = random.NextDouble() < 0.8 ? "on" : "off",
                Tls13 = Pick(random, ["on", "on", "zrt", "off"]),
                SecurityLevel = Pick(random, ["essentially_off", "low", "medium", "medium", "medium", "high", "under_attack"]),
                BrowserCheck = random.NextDouble() < 0.85 ? "on" : "off",
                Waf = random.NextDouble() < 0.1 ? "on" : "off",
                OpportunisticEncryption = "on",
                Hsts = hsts
                    ? new StrictTransportSecurity { Enabled = true, MaxAge = Pick(random, [15552000, 31536000, 86400]), IncludeSubdomains = random.NextDouble() < 0.6, Preload = random.NextDouble() < 0.3, Nosniff = true }
                    : new StrictTransportSecurity(),
            },
        };
        if (plan.LegacyId != "free" && random.NextDouble() < 0.5)
        {
            zone.Rulesets.Add(new ScenarioRuleset
            {
                Id = NewId(random),
                Name = "zone",
                Kind = "zone",
                Phase = "http_request_firewall_managed",
                LastUpdated = zone.ModifiedOn,
                Rules =
                [
                    new ScenarioRule
                    {
                        Id = NewId(random),
                        Action = "execute",
                        Description = "Cloudflare Managed Ruleset",
                        ExecuteRulesetId = CloudflareManagedRuleset,
                        Enabled = random.NextDouble() < 0.9,
                    },
                    new ScenarioRule { Id = NewId(random), Action = "execute", Description = "OWASP Core Ruleset", ExecuteRulesetId = OwaspRuleset },
                ],
            });
        }

        if (random.NextDouble() < 0.3)
        {
            zone.Rulesets.Add(new ScenarioRuleset
            {
                Id = NewId(random),
                Name = "default",
                Kind = "zone",
                Phase = "http_request_firewall_custom",
                LastUpdated = zone.ModifiedOn,
                Rules = [new ScenarioRule { Id = NewId(random), Action = "block", Expression = "(ip.geoip.country eq \"T1\")", Description = "Block Tor exit nodes" }],
            });
        }

        // Its own random stream, so the DNS records leave every other generated value as it was.
        zone.DnsRecords.AddRange(GenerateDnsRecords(new Random(unchecked(index * 7919 + 17)), name));
        // Likewise the certificate packs: CAs vary, so cloudflare.dns-caa passes and fails for the CA in use.
        zone.CertificatePacks = GenerateCertificatePacks(new Random(unchecked(index * 104729 + 31)), zone);

        if (random.NextDouble() < 0.1)
        {
            zone.FirewallRules.Add(new LegacyFirewallRule
            {
                Id = NewId(random),
                Action = "block",
                Description = "Block bad bots",
                FilterId = NewId(random),
                Expression = "(http.user_agent contains \"sqlmap\")",
            });
        }

        return zone;
    }

    /// <summary>
    /// A zone's certificate packs: the Universal SSL pack from Let's Encrypt, Google Trust Services or SSL.com, and on about
    /// a fifth of the paid zones an advanced pack (Let's Encrypt or Google Trust Services) for www.
    /// </summary>
    private static List<ScenarioCertificatePack> GenerateCertificatePacks(Random random, ScenarioZone zone)
    {
        string NewPackId() => Guid.Parse(NewId(random)).ToString();
        var packs = new List<ScenarioCertificatePack>
        {
            new() { Id = NewPackId(), Type = "universal", CertificateAuthority = Pick(random, ["lets_encrypt", "google", "google", "ssl_com"]) },
        };
        if (zone.Plan.LegacyId != "free" && random.NextDouble() < 0.2)
        {
            packs.Add(new ScenarioCertificatePack
            {
                Id = NewPackId(),
                Type = "advanced",
                CertificateAuthority = Pick(random, ["lets_encrypt", "google"]),
                Hosts = [zone.Name, "www." + zone.Name],
            });
        }
        return packs;
    }

    /// <summary>Records per generated zone: the large organisation's 2,000 zones hold 200,000 records.</summary>
    public const int DnsRecordsPerZone = 100;

    /// <summary>
    /// A zone's DNS records: apex and www, mail (MX, SPF, DMARC) on most zones, CAA on about half, and web hosts, most of
    /// them proxied; a few zones get a wildcard, a record at a private address or a CNAME to a hosting service, so every DNS
    /// check has both outcomes across the organisation.
    /// </summary>
    private static IEnumerable<ScenarioDnsRecord> GenerateDnsRecords(Random random, string zoneName)
    {
        ScenarioDnsRecord Record(string type, string name, string content, bool proxied = false, int? priority = null) =>
            new() { Id = NewId(random), Type = type, Name = name, Content = content, Proxied = proxied, Priority = priority };

        var records = new List<ScenarioDnsRecord>
        {
            Record("A", "@", $"203.0.113.{random.Next(1, 255)}", proxied: random.NextDouble() < 0.9),
            Record("CNAME", "www", zoneName, proxied: true),
        };
        if (random.NextDouble() < 0.8)
        {
            records.Add(Record("MX", "@", $"mx1.mail.{zoneName}", priority: 10));
            records.Add(Record("A", "mx1.mail", $"198.51.100.{random.Next(1, 255)}"));
            records.Add(Record("TXT", "@", Pick(random, ["\"v=spf1 mx -all\"", "\"v=spf1 mx ~all\"", "\"v=spf1 include:_spf.google.com ?all\""])));
            records.Add(Record("TXT", "_dmarc", $"\"v=DMARC1; p={Pick(random, ["reject", "quarantine", "none"])}; rua=mailto:dmarc@{zoneName}\""));
        }
        else
        {
            records.Add(Record("TXT", "@", "\"v=spf1 -all\""));
        }
        if (random.NextDouble() < 0.5)
        {
            records.Add(Record("CAA", "@", Pick(random, ["0 issue \"letsencrypt.org\"", "0 issue \"pki.goog\"", "0 issue \"digicert.com\"", "0 issue \"entrust.net\""])));
        }
        if (random.NextDouble() < 0.05)
        {
            records.Add(Record("A", "*", $"203.0.113.{random.Next(1, 255)}", proxied: true));
        }
        if (random.NextDouble() < 0.05)
        {
            records.Add(Record("A", "intranet", $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}"));
        }
        if (random.NextDouble() < 0.05)
        {
            records.Add(Record("CNAME", "promo", $"{zoneName.Replace('.', '-')}.herokuapp.com"));
        }
        for (var i = records.Count; i < DnsRecordsPerZone; i++)
        {
            records.Add(random.Next(10) switch
            {
                < 6 => Record("A", $"host{i}", $"198.51.{random.Next(256)}.{random.Next(1, 255)}", proxied: random.NextDouble() < 0.95),
                < 8 => Record("CNAME", $"app{i}", $"www.{zoneName}", proxied: true),
                < 9 => Record("AAAA", $"v6-{i}", $"2001:db8:{random.Next(65536):x}::{random.Next(1, 65536):x}", proxied: true),
                _ => Record("TXT", $"_verify{i}", $"\"verification={NewId(random)}\""),
            });
        }
        return records;
    }

    private static string NewId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private static string PersonId(int person) => $"{person + 1:x32}";

    private static T Pick<T>(Random random, T[] options) => options[random.Next(options.Length)];

    private static string Capitalise(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
