using Connector.Worker.Configuration;
using Connector.Worker.Identities;

namespace Connector.Worker.Tests;

public sealed class AdminsFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("connector-admins-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static IReadOnlyList<string> Errors(string json) =>
        Assert.Throws<ConfigurationException>(() => AdminsFile.Parse(json, "admins.json")).Errors;

    [Fact]
    public void EwsAndGraphEntries_AreRead()
    {
        var identities = AdminsFile.Parse(
            """
            [
              // comments are allowed
              { "Name": "ews-1", "ExchangeType": 2, "Username": "svc-sync", "Password": "pw", "Domain": "CONTOSO", "AuthType": "Ntlm", "EwsUrl": "https://mail.contoso.com/EWS/Exchange.asmx" },
              { "ExchangeType": 2, "username": "svc-2", "password": "pw2", "ewsurl": "https://mail.contoso.com/EWS/Exchange.asmx" },
              { "Name": "m365", "ExchangeType": 1, "TenantId": "t", "ClientId": "c", "ClientSecret": "s" },
            ]
            """,
            "admins.json");

        Assert.Equal(3, identities.Count);
        Assert.Equal(EwsAuthType.Ntlm, identities[0].AuthType);
        Assert.Equal("CONTOSO", identities[0].Domain);
        Assert.Equal("svc-2", identities[1].Name);
        Assert.Equal(EwsAuthType.Basic, identities[1].AuthType);
        Assert.Equal(ExchangeType.Microsoft365, identities[2].ExchangeType);
        Assert.Equal("Graph", identities[2].Backend);
        Assert.DoesNotContain("pw", identities[0].ToString().Replace("Password = ***", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("= s,", identities[2].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblem_NamesFileEntryAndField_AndNoSecretIsRepeated()
    {
        var errors = Errors(
            """
            [
              { "Name": "a", "ExchangeType": 2, "Password": "hunter2-secret", "EwsUrl": "https://x/EWS/Exchange.asmx" },
              { "Name": "b", "ExchangeType": 2, "Username": "u", "Password": "hunter2-secret", "AuthType": "Kerberos5", "EwsUrl": "ftp://x" },
              { "Name": "c", "ExchangeType": 3 },
              { "Name": "d", "ExchangeType": 1, "TenantId": "t", "ClientId": "c" },
              { "Name": "e", "ExchangeType": 2, "Username": "u", "Password": "p", "EwsUrl": "https://x/", "Pasword": "typo" },
              "not an object"
            ]
            """);

        Assert.Contains("admins.json, entry 1 (\"a\"): Username is missing (the account that impersonates users, e.g. svc-sync)", errors);
        Assert.Contains("admins.json, entry 2 (\"b\"): AuthType \"Kerberos5\" is not allowed; use Basic, Ntlm, Negotiate or OAuth", errors);
        Assert.Contains("admins.json, entry 2 (\"b\"): EwsUrl \"ftp://x\" is not an absolute http(s) URL, e.g. https://mail.contoso.com/EWS/Exchange.asmx", errors);
        Assert.Contains("admins.json, entry 3 (\"c\"): ExchangeType 3 is not allowed; use 2 (Exchange Server, EWS) or 1 (Microsoft 365, Graph)", errors);
        Assert.Contains("admins.json, entry 4 (\"d\"): give exactly one of ClientSecret or CertificatePath", errors);
        Assert.Contains(errors, e => e.StartsWith("admins.json, entry 5 (\"e\"): unknown field \"Pasword\"", StringComparison.Ordinal));
        Assert.Contains("admins.json, entry 6: expected an object, found String", errors);
        Assert.All(errors, e => Assert.DoesNotContain("hunter2", e, StringComparison.Ordinal));
    }

    [Fact]
    public void EwsWithOAuth_NeedsAnApplicationNotAPassword()
    {
        var errors = Errors(
            """
            [
              { "Name": "exo", "ExchangeType": 2, "AuthType": "OAuth", "EwsUrl": "https://outlook.office365.com/EWS/Exchange.asmx", "TenantId": "t" },
              { "Name": "exo2", "ExchangeType": 2, "AuthType": "OAuth", "EwsUrl": "https://outlook.office365.com/EWS/Exchange.asmx", "TenantId": "t", "ClientId": "c", "ClientSecret": "s", "AuthorityHost": "not a url" }
            ]
            """);

        Assert.Contains("admins.json, entry 1 (\"exo\"): ClientId is missing (the application (client) id)", errors);
        Assert.Contains("admins.json, entry 1 (\"exo\"): give exactly one of ClientSecret or CertificatePath", errors);
        Assert.Contains("admins.json, entry 2 (\"exo2\"): AuthorityHost \"not a url\" is not an absolute http(s) URL", errors);
        Assert.DoesNotContain(errors, e => e.Contains("Username", StringComparison.Ordinal) || e.Contains("Password", StringComparison.Ordinal));

        var identity = Assert.Single(AdminsFile.Parse(
            """[ { "Name": "exo", "ExchangeType": 2, "AuthType": "OAuth", "EwsUrl": "https://outlook.office365.com/EWS/Exchange.asmx", "TenantId": "t", "ClientId": "c", "ClientSecret": "s" } ]""",
            "admins.json"));
        Assert.Equal(EwsAuthType.OAuth, identity.AuthType);
        Assert.Equal("c", identity.ClientId);
    }

    [Theory]
    [InlineData("{}", "expected a JSON array of identities, found Object")]
    [InlineData("[]", "the array is empty; at least one identity is needed")]
    [InlineData("[ { ", "not valid JSON")]
    public void WrongShape_IsOneClearLine(string json, string expected)
    {
        Assert.Contains(expected, Assert.Single(Errors(json)), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateNames_AreRejected()
    {
        var entry = """{ "Name": "same", "ExchangeType": 2, "Username": "u", "Password": "p", "EwsUrl": "https://x/EWS/Exchange.asmx" }""";

        var error = Assert.Single(Errors($"[{entry},{entry}]"));

        Assert.Contains("\"same\" is used by 2 entries", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Microsoft365_IsServedByTheGraphFactory_AndRefusedWhereNoneIsRegistered()
    {
        var identities = AdminsFile.Parse("""[ { "Name": "m365", "ExchangeType": 1, "TenantId": "t", "ClientId": "c", "ClientSecret": "s" } ]""", "admins.json");
        using var all = ExchangeStoreFactories.Default();
        using var ewsOnly = new ExchangeStoreFactories([new EwsStoreFactory()]);

        Assert.Empty(all.Unsupported(identities, "admins.json"));
        var line = Assert.Single(ewsOnly.Unsupported(identities, "admins.json"));
        Assert.Equal("admins.json, \"m365\": ExchangeType 1 (Microsoft 365 via Graph) has no store registered in this process", line);
    }

    [Fact]
    public void MissingFile_NamesThePathAndTheOption()
    {
        var path = Path.Combine(folder, "admins.json");

        var ex = Assert.Throws<ConfigurationException>(() => AdminsFile.Load(path));

        Assert.Contains(path, Assert.Single(ex.Errors), StringComparison.Ordinal);
        Assert.Contains("Service__AdminsFile", ex.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void FileReadableByOthers_GivesAWarning_LikeSsh()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }

        var path = Path.Combine(folder, "admins.json");
        File.WriteAllText(path, """[ { "Name": "a", "ExchangeType": 2, "Username": "u", "Password": "p", "EwsUrl": "https://x/EWS/Exchange.asmx" } ]""");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var open = AdminsFile.Load(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var closed = AdminsFile.Load(path);

        Assert.Contains("readable by group or others (mode 644); run: chmod 600", Assert.Single(open.Warnings), StringComparison.Ordinal);
        Assert.Empty(closed.Warnings);
    }
}
