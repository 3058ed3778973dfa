using Connector.Stores.Dav.Operations;
using Connector.Stores.Dav.Xml;
using Connector.Sync.Stores;

namespace Connector.Stores.Dav.Tests;

public sealed class WriteResponseClassifierTests
{
    private const string Id = "/cal/a.ics";

    [Fact]
    public void Create_RadicaleUidConflict409_AlreadyExists()
    {
        var answer = Answer(409, """<?xml version='1.0' encoding='utf-8'?><error xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:no-uid-conflict /></error>""");

        Assert.Equal(WriteStatus.AlreadyExists, WriteResponseClassifier.ForCreate(answer, Id).Status);
    }

    [Fact]
    public void Create_XandikosUidConflictInside207_AlreadyExists()
    {
        var answer = Answer(412, """<ns0:multistatus xmlns:ns0="DAV:" xmlns:ns1="urn:ietf:params:xml:ns:caldav"><ns0:response><ns0:href>http%3A//127.0.0.1%3A1/c/a.ics</ns0:href><ns0:status>HTTP/1.1 412 Precondition Failed</ns0:status><ns0:error><ns1:no-uid-conflict /></ns0:error><ns0:responsedescription>UID already in use.</ns0:responsedescription></ns0:response></ns0:multistatus>""");

        var result = WriteResponseClassifier.ForCreate(answer, Id);

        Assert.Equal(WriteStatus.AlreadyExists, result.Status);
        Assert.Equal(DavWriteReasons.UidInUse + "UID already in use.", result.Reason);
    }

    [Fact]
    public void Create_NameTaken412_AlreadyExists()
    {
        Assert.Equal(WriteStatus.AlreadyExists, WriteResponseClassifier.ForCreate(Answer(412, string.Empty), Id).Status);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(409)]
    public void Create_CollectionMissing_NotFound(int status)
    {
        Assert.Equal(WriteStatus.NotFound, WriteResponseClassifier.ForCreate(Answer(status, string.Empty), Id).Status);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(413)]
    [InlineData(415)]
    [InlineData(507)]
    public void Create_ContentRefused_RejectedWithReason(int status)
    {
        var result = WriteResponseClassifier.ForCreate(Answer(status, "plain text reason"), Id);

        Assert.Equal(WriteStatus.Rejected, result.Status);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Update_UidConflict_RejectedNotAlreadyExists()
    {
        var answer = Answer(409, """<error xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><C:no-uid-conflict /></error>""");

        Assert.Equal(WriteStatus.Rejected, WriteResponseClassifier.ForUpdate(answer, Id).Status);
    }

    [Theory]
    [InlineData(200, WriteStatus.Success)]
    [InlineData(204, WriteStatus.Success)]
    [InlineData(412, WriteStatus.PreconditionFailed)]
    [InlineData(404, WriteStatus.NotFound)]
    [InlineData(403, WriteStatus.Rejected)]
    public void Delete_Statuses(int status, WriteStatus expected)
    {
        Assert.Equal(expected, WriteResponseClassifier.ForDelete(Answer(status, string.Empty), Id).Status);
    }

    private static WriteAnswer Answer(int status, string body) => new(status, null, DavErrorBody.Parse(body));
}
