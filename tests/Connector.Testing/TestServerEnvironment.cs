using Xunit;

namespace Connector.Testing;

/// <summary>
/// The real servers <c>build.sh test</c> (or <c>build.sh servers</c>) started, read from environment variables.
/// A test that needs one is marked <see cref="ServerFactAttribute"/>: outside CI it is skipped when the variable is
/// missing; under <c>CI=true</c> it runs and reading the property fails it with a clear message.
/// </summary>
public static class TestServerEnvironment
{
    /// <summary>Npgsql connection string: <c>Host=127.0.0.1;Port=N;Username=postgres;Password=...;Database=connector_test</c>.</summary>
    public const string PostgresVariable = "CONNECTOR_TEST_POSTGRES";

    /// <summary>Radicale root, <c>http://127.0.0.1:N/</c>.</summary>
    public const string RadicaleUrlVariable = "CONNECTOR_TEST_RADICALE_URL";

    /// <summary>Radicale Basic-auth user (<c>test</c>); the principal is <c>/{user}/</c>.</summary>
    public const string RadicaleUserVariable = "CONNECTOR_TEST_RADICALE_USER";

    /// <summary>Radicale Basic-auth password.</summary>
    public const string RadicalePasswordVariable = "CONNECTOR_TEST_RADICALE_PASSWORD";

    /// <summary>Xandikos root, <c>http://127.0.0.1:N/</c> (route prefix <c>/</c>).</summary>
    public const string XandikosUrlVariable = "CONNECTOR_TEST_XANDIKOS_URL";

    /// <summary>
    /// The principal build.sh gives Xandikos (<c>--current-user-principal /test/ --defaults</c>): it holds
    /// <c>calendars/calendar/</c> and <c>contacts/addressbook/</c>. Xandikos does no authentication.
    /// </summary>
    public const string XandikosPrincipalPath = "/test/";

    /// <summary>True when running under CI (<c>CI=true</c>), where a missing server is a failure, never a skip.</summary>
    public static bool IsCi =>
        Environment.GetEnvironmentVariable("CI") is { } ci
        && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The PostgreSQL connection string (database <c>connector_test</c>).</summary>
    public static string Postgres => Require(PostgresVariable);

    /// <summary>The Radicale server, with Basic-auth credentials and principal <c>/{user}/</c>.</summary>
    public static DavServer Radicale
    {
        get
        {
            var url = Require(RadicaleUrlVariable);
            var user = Require(RadicaleUserVariable);
            var password = Require(RadicalePasswordVariable);
            return new DavServer(ParseBase(RadicaleUrlVariable, url), "/" + user + "/", user, password, ClosesConnectionAfterEachResponse: true);
        }
    }

    /// <summary>The Xandikos server (no authentication, principal <see cref="XandikosPrincipalPath"/>).</summary>
    public static DavServer Xandikos =>
        new(ParseBase(XandikosUrlVariable, Require(XandikosUrlVariable)), XandikosPrincipalPath, null, null, ClosesConnectionAfterEachResponse: false);

    /// <summary>The environment variables a server needs.</summary>
    public static IReadOnlyList<string> VariablesFor(TestServer server) => server switch
    {
        TestServer.Postgres => [PostgresVariable],
        TestServer.Radicale => [RadicaleUrlVariable, RadicaleUserVariable, RadicalePasswordVariable],
        TestServer.Xandikos => [XandikosUrlVariable],
        _ => throw new ArgumentOutOfRangeException(nameof(server), server, "Unknown test server."),
    };

    /// <summary>True when every variable the server needs is set.</summary>
    public static bool IsAvailable(TestServer server) =>
        VariablesFor(server).All(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));

    /// <summary>
    /// Why a test needing <paramref name="servers"/> should be skipped, or null when it should run: it always runs
    /// under CI (and then fails if a server is missing).
    /// </summary>
    public static string? SkipReason(params TestServer[] servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (IsCi)
        {
            return null;
        }

        var missing = servers.Where(s => !IsAvailable(s)).ToList();
        return missing.Count == 0
            ? null
            : $"Test server(s) not running: {string.Join(", ", missing)} (run ./build.sh test, or ./build.sh servers and export its variables).";
    }

    /// <summary>Fails the current test unless every server is available; for tests not marked [ServerFact].</summary>
    public static void RequireServers(params TestServer[] servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        foreach (var server in servers)
        {
            foreach (var variable in VariablesFor(server))
            {
                Require(variable);
            }
        }
    }

    private static string Require(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(value))
        {
            Assert.Fail(
                $"Environment variable {variable} is not set, so the test server it names is not running. "
                + (IsCi
                    ? "Under CI=true this is a failure: build.sh must start every server."
                    : "Run the tests through ./build.sh test, or start ./build.sh servers and export what it prints."));
        }

        return value!;
    }

    private static Uri ParseBase(string variable, string value)
    {
        if (!Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out var uri))
        {
            Assert.Fail($"Environment variable {variable} is not an absolute URL: '{value}'.");
        }

        return uri!;
    }
}
