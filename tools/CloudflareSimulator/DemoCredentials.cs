namespace Vigil.Simulation;

/// <summary>
/// Credentials of the built-in demo scenario (<see cref="Scenario.Demo"/>). Simulator-only test values: they exist
/// nowhere but in Scenarios/demo.json. The formats imitate Cloudflare's, but the simulator never checks formats.
/// </summary>
public static class DemoCredentials
{
    /// <summary>The "Acme Analytics" production account, enforces 2FA.</summary>
    public const string ProductionAccountId = "3f1c5a7e9b2d4c6e8a0b1c2d3e4f5a6b";

    /// <summary>The "Acme Analytics Staging" account, does not enforce 2FA.</summary>
    public const string StagingAccountId = "7a9e2c4b6d8f0a1b3c5d7e9f1a2b3c4d";

    /// <summary>User token with every read permission on both accounts.</summary>
    public const string ReadAllToken = "cfut_Vq7nR2xK9pL4mT8wZ3bH6dF1sJ5gY0cA2eU7iO4kN9";

    /// <summary>Account-owned token of <see cref="ProductionAccountId"/> with every read permission on that account.</summary>
    public const string AccountToken = "cfat_M3pQ8rW2tY6uI1oP5aS9dF4gH7jK0lZ2xC6vB1nM8q";

    public const string AccountTokenAccountId = ProductionAccountId;

    /// <summary>User token with every read permission except "Zone Read".</summary>
    public const string NoZoneReadToken = "cfut_L2kJ7hG4fD9sA1qW6eR3tY8uI5oP0zX4cV9bN2mQ7w";

    /// <summary>User token with every read permission except "Account Settings Read".</summary>
    public const string NoAccountSettingsReadToken = "cfut_P9oI4uY7tR2eW5qA8sD1fG6hJ3kL0zX7cV2bN5mE4r";

    /// <summary>User token with every read permission, limited to the staging account and its zones.</summary>
    public const string StagingOnlyToken = "cfut_S4dF9gH2jK7lZ1xC6vB3nM8qW5eR0tY4uI9oP2aT6y";

    public const string ExpiredToken = "cfut_E8xP2iR5eD9tK3nQ7wZ1bH4mF6sJ0gY5cA8uL2vO3x";
    public const string DisabledToken = "cfut_D1sA6bL9eT4kN7qW2zX5cV8mR3fG0hJ6uI1oP4yE7d";

    /// <summary>Valid only from 2030-01-01.</summary>
    public const string NotYetValidToken = "cfut_N5yV0tK8qW3eR6tY1uI4oP7aS2dF9gH3jL6zX0cB8n";

    /// <summary>Every read permission, usable only from 203.0.113.10 (so never from loopback).</summary>
    public const string IpRestrictedToken = "cfut_I7pR4sT1cD8eF5gH2jK9lZ6xC3vB0nM7qW4eR1tY5i";

    /// <summary>Owner of <see cref="GlobalApiKey"/>, a member of both accounts.</summary>
    public const string GlobalKeyEmail = "dana.okafor@acme-analytics.io";

    public const string GlobalApiKey = "cfk_6b1f0c9e2a7d4e8b3c5f1a0d9e7b2c4a6f8e0d1b3a5c";

    /// <summary>User token with only "Account Settings Write" on both accounts: removes and re-roles members (vigil review apply).</summary>
    public const string RemediateToken = "cfut_R3mD7aT1eW9rI5tE2aC8cS4sG6wX0kB7nQ3yU5hJ1v";
}

/// <summary>Zone ids of the demo scenario and what each one is there to show.</summary>
public static class DemoZoneIds
{
    /// <summary>acme-analytics.io: strict SSL, TLS 1.2, HSTS, DNSSEC active, Cloudflare Managed + OWASP deployed, custom and rate-limit rules;
    /// a Universal SSL pack from Google Trust Services and an advanced pack from Let's Encrypt, both named by its CAA records.</summary>
    public const string Main = "70cf8000b6e277c431ad76ccfce313c1";

    /// <summary>acme-analytics.com: flexible SSL, TLS 1.0, no HSTS, DNSSEC disabled, security level essentially_off, no rulesets.</summary>
    public const string Weak = "fc192122f610d0cbbcef4e49c9a45577";

    /// <summary>acmeanalytics.com (old domain): only the legacy WAF setting on, two legacy firewall rules, no entrypoints.</summary>
    public const string LegacyWaf = "8e73cffa874fc255c91fdb2cd35469cf";

    /// <summary>acme-status.io: managed WAF execute rule present but disabled.</summary>
    public const string DisabledManagedRule = "e5449d235f6bca143cdbadcd10be45ba";

    /// <summary>acme-cdn.net: paused.</summary>
    public const string Paused = "965cac5da9b5e70bd3e5acb525f0cbe3";

    /// <summary>acme-insights.ai: pending (not yet activated).</summary>
    public const string Pending = "eacbae38d30780aa488a5ade75717875";

    /// <summary>acme-staging.dev (staging account): flexible SSL, TLS 1.0, no HSTS; CAA names only entrust.net while its Universal SSL pack is from Let's Encrypt.</summary>
    public const string Staging = "636120fdf84adc150f0e80e991cc6fad";

    /// <summary>acme-sandbox.dev (staging account): TLS 1.3, DNSSEC pending, Free Managed ruleset turned off by an override.</summary>
    public const string Sandbox = "3893e5592745afea22bfed31061253b3";

    /// <summary>acme-skip.io (WAF trap): Cloudflare Managed Ruleset deployed, but a custom rule skips the managed phase and the waf product for all traffic.</summary>
    public const string WafSkipped = "a1d5e0c3b7f94e2a8c6d1b0e9f7a3c51";

    /// <summary>acme-logonly.io (WAF trap): Cloudflare Managed Ruleset deployed in log-only mode (ruleset-level action override "log").</summary>
    public const string WafLogOnly = "f6c0d5b8a2e49d7f3b1c6a5d4e2f8b06";

    /// <summary>acme-creds.io (WAF trap): only the Exposed Credentials Check is deployed.</summary>
    public const string WafCredentialsOnly = "c9f3a8e1d5b72a0c6e4f9d8a7b5c1e39";
    /// <summary>acme-payments.io (Enterprise): SSL Strict (SSL-Only Origin Pull), HSTS max_age sent as 31536000.0, a Configuration Rule keeping origin_pull for its API host and a disabled one that would lower it, a disabled Page Rule setting flexible, a per-hostname TLS 1.3 override.</summary>
    public const string OriginPull = "ddb2519c8c3464a59fb3a3c5ba90221c";

    /// <summary>acme-docs.com (staging account): a partial (CNAME setup) zone: DNSSEC is the authoritative provider's job.</summary>
    public const string Partial = "259346623b72dcc8f22acba55ca8fb36";
}
