namespace Connector.Testing;

/// <summary>A real server that <c>build.sh test</c> starts for the tests.</summary>
public enum TestServer
{
    /// <summary>PostgreSQL 15: <c>CONNECTOR_TEST_POSTGRES</c>.</summary>
    Postgres,

    /// <summary>Radicale 3.1 (CalDAV/CardDAV with Basic auth): <c>CONNECTOR_TEST_RADICALE_*</c>.</summary>
    Radicale,

    /// <summary>Xandikos 0.2 (CalDAV/CardDAV, no auth): <c>CONNECTOR_TEST_XANDIKOS_URL</c>.</summary>
    Xandikos,
}
