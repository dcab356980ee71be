using Npgsql;
using Vigil.Storage.Postgres;

namespace Vigil.Storage.Tests.Postgres;

public sealed class PostgresConnectionStringTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public void A_url_gives_host_port_database_user_and_percent_decoded_password()
    {
        var builder = Parse("postgresql://vigil%40ops:p%40ss%3Aw%2Frd@db.internal:6543/vigil%20prod?sslmode=verify-full&application_name=vigil-web");

        Assert.Equal(("db.internal", 6543, "vigil prod", "vigil@ops", "p@ss:w/rd"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("vigil-web", builder.ApplicationName);
        Assert.Equal("db.internal:6543/vigil prod", PostgresConnectionString.Location(builder));
    }

    [Fact]
    public void The_default_port_is_5432_and_the_keyword_form_is_accepted()
    {
        Assert.Equal(5432, Parse("postgres://u@h/db").Port);
        var builder = Parse("Host=h;Port=7000;Database=d;Username=u;Password=pw;SSL Mode=Require");
        Assert.Equal(("h", 7000, "d", "pw", SslMode.Require), (builder.Host, builder.Port, builder.Database, builder.Password, builder.SslMode));
    }

    [Fact]
    public void A_missing_password_comes_from_VIGIL_DATABASE_PASSWORD_then_PGPASSWORD()
    {
        var both = new Dictionary<string, string> { ["VIGIL_DATABASE_PASSWORD"] = "vigil-pw", ["PGPASSWORD"] = "pg-pw" };
        var standard = new Dictionary<string, string> { ["PGPASSWORD"] = "pg-pw" };

        Assert.Equal("vigil-pw", Parse("postgres://u@h/db", both).Password);
        Assert.Equal("pg-pw", Parse("postgres://u@h/db", standard).Password);
        Assert.Equal("url-pw", Parse("postgres://u:url-pw@h/db", both).Password);
        Assert.Null(Parse("postgres://u@h/db").Password);
    }

    [Fact]
    public void Redact_removes_the_password_raw_and_encoded()
    {
        Assert.Equal("at *** and ***", PostgresConnectionString.Redact("at p@ss/1 and p%40ss%2F1", "p@ss/1"));
    }

    private static NpgsqlConnectionStringBuilder Parse(string url, Dictionary<string, string>? environment = null) =>
        PostgresConnectionString.Parse(url, name => (environment ?? NoEnvironment).GetValueOrDefault(name));
}
