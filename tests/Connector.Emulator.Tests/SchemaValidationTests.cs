using System.Net;
using Connector.Emulator.Ews.Schema;

namespace Connector.Emulator.Tests;

public sealed class SchemaValidationTests
{
    [Fact]
    public async Task InvalidRequest_IsAnsweredWithErrorSchemaValidationFault()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.GetItem(Soap.ItemId("AAMk"), shape: "Everything"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("ErrorSchemaValidation", response.FaultCode);
        var detail = response.Xml.Descendants("detail").Single();
        Assert.Equal("ErrorSchemaValidation", detail.Element(EwsResponse.E + "ResponseCode")!.Value);
        Assert.Equal("The request failed schema validation.", detail.Element(EwsResponse.E + "Message")!.Value);
        var messageXml = detail.Element(EwsResponse.T + "MessageXml")!;
        Assert.True(int.Parse(messageXml.Element(EwsResponse.T + "LineNumber")!.Value) > 0);
        Assert.True(int.Parse(messageXml.Element(EwsResponse.T + "LinePosition")!.Value) > 0);
        Assert.Contains("Everything", messageXml.Element(EwsResponse.T + "Violation")!.Value);
        Assert.StartsWith("The request failed schema validation: ", response.Xml.Descendants("faultstring").Single().Value);
    }

    [Fact]
    public async Task UndeclaredElement_IsASchemaViolation()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync("<m:GetItemz><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape></m:GetItemz>");

        Assert.Equal("ErrorSchemaValidation", response.FaultCode);
    }

    [Fact]
    public async Task MaxChangesReturnedAbove512_IsASchemaViolation()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.CallAsync(Soap.SyncFolderItems("calendar", 513));

        Assert.Equal("ErrorSchemaValidation", response.FaultCode);
    }

    [Fact]
    public async Task NotWellFormedXml_IsAnsweredWithErrorInvalidRequest()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var response = await scope.PostAsync("<soap:Envelope");

        Assert.Equal(HttpStatusCode.InternalServerError, response.Status);
        Assert.Equal("ErrorInvalidRequest", response.FaultCode);
    }

    [Fact]
    public void ResponseValidation_FindsAnInvalidResponse()
    {
        const string invalid = """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <m:GetItemResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages>
            <m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoSuchCode</m:ResponseCode><m:Items/></m:GetItemResponseMessage>
            </m:ResponseMessages></m:GetItemResponse></s:Body></s:Envelope>
            """;

        Assert.NotEmpty(EwsSchema.ValidateResponse(invalid));
    }

    [Fact]
    public async Task SchemaFiles_AreServedUnderEws()
    {
        await using var scope = await EmulatorScope.StartAsync();
        var messages = await scope.Http.GetStringAsync("EWS/messages.xsd");
        var types = await scope.Http.GetStringAsync("EWS/types.xsd");

        Assert.Contains("schemaLocation=\"types.xsd\"", messages);
        Assert.Contains("ExchangeVersionType", types);
    }
}
