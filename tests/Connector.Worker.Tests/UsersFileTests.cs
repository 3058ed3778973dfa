using Connector.Sync.Stores;
using Connector.Worker.Configuration;
using Connector.Worker.Users;

namespace Connector.Worker.Tests;

public sealed class UsersFileTests
{
    [Fact]
    public void DavAndVdirUsers_AreRead_WithOptionalFields()
    {
        var users = UsersFile.Parse(
            """
            [
              { "UserId": "alice", "Mailbox": "alice@contoso.com", "DavUrl": "https://cloud.example.com/remote.php/dav/", "DavUser": "alice", "DavPassword": "app-pw", "SyncMode": 1, "TimeZone": "Europe/Berlin", "ExchangeType": 2, "Identity": "ews-1" },
              { "UserId": "bob", "Mailbox": "bob@contoso.com", "VdirPath": "data/bob", "Enabled": false }
            ]
            """,
            "users.json",
            "/srv/connector");

        Assert.Equal(2, users.Count);
        Assert.Equal(new Uri("https://cloud.example.com/remote.php/dav/"), users[0].Nextcloud.DavUrl);
        Assert.Equal(ItemKind.Event, users[0].SyncMode);
        Assert.Equal("Europe/Berlin", users[0].TimeZone);
        Assert.DoesNotContain("app-pw", users[0].Nextcloud.ToString(), StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath("data/bob", "/srv/connector"), users[1].Nextcloud.VdirPath);
        Assert.Null(users[1].SyncMode);
        Assert.False(users[1].Enabled);
        Assert.Equal(Identities.ExchangeType.ExchangeServer, users[0].ExchangeType);
        Assert.Null(users[1].ExchangeType);
        Assert.Equal("ews-1", users[0].Identity);
        Assert.Null(users[1].Identity);
    }

    [Fact]
    public void ExchangeType_MustBeOneOrTwo()
    {
        var ex = Assert.Throws<ConfigurationException>(() => UsersFile.Parse(
            """[ { "UserId": "alice", "Mailbox": "alice@contoso.com", "VdirPath": "a", "ExchangeType": 3 } ]""",
            "users.json",
            "/srv/connector"));

        Assert.Contains(ex.Errors, e => e.EndsWith("ExchangeType 3 is not allowed; 2 (Exchange Server, EWS) or 1 (Microsoft 365, Graph)", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryProblem_NamesFileEntryAndField_AndNoPasswordIsRepeated()
    {
        var ex = Assert.Throws<ConfigurationException>(() => UsersFile.Parse(
            """
            [
              { "Mailbox": "x@contoso.com", "VdirPath": "x" },
              { "UserId": "b", "Mailbox": "not-an-address", "VdirPath": "x" },
              { "UserId": "c", "Mailbox": "c@contoso.com", "DavUrl": "https://cloud/", "DavPassword": "s3cret-pw" },
              { "UserId": "d", "Mailbox": "d@contoso.com" },
              { "UserId": "e", "Mailbox": "e@contoso.com", "VdirPath": "x", "SyncMode": 9, "TimeZone": "Mars/Olympus", "Enabled": "yes" },
              { "UserId": "e", "Mailbox": "e@contoso.com", "VdirPath": "x" },
              { "UserId": "f", "Mailbox": "f@contoso.com", "VdirPath": "x" },
              { "UserId": "f", "Mailbox": "f@contoso.com", "VdirPath": "y" }
            ]
            """,
            "users.json",
            "/tmp"));

        var errors = ex.Errors;
        Assert.Contains("users.json, entry 1: UserId is missing (the Nextcloud user id)", errors);
        Assert.Contains("users.json, entry 2 (\"b\"): Mailbox \"not-an-address\" is not an SMTP address (e.g. alice@contoso.com)", errors);
        Assert.Contains("users.json, entry 3 (\"c\"): DavUser and DavPassword (a Nextcloud app password) are required with DavUrl", errors);
        Assert.Contains("users.json, entry 4 (\"d\"): give exactly one of DavUrl (with DavUser and DavPassword) or VdirPath", errors);
        Assert.Contains("users.json, entry 5 (\"e\"): SyncMode 9 is not allowed; a bit mask: 1 calendars + 2 contacts + 4 tasks, so 1 to 7", errors);
        Assert.Contains("users.json, entry 5 (\"e\"): TimeZone \"Mars/Olympus\" is not a known IANA time zone (e.g. Europe/Berlin)", errors);
        Assert.Contains("users.json, entry 5 (\"e\"): Enabled \"yes\" is not allowed; true or false", errors);
        Assert.Contains("users.json: UserId \"f\" appears 2 times", errors);
        Assert.All(errors, e => Assert.DoesNotContain("s3cret", e, StringComparison.Ordinal));
    }
}
