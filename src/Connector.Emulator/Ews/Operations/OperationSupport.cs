using System.Xml.Linq;
using Connector.Emulator.Store;
using static Connector.Emulator.Ews.EwsNames;

namespace Connector.Emulator.Ews.Operations;

/// <summary>What every operation shares: per-item error handling and the response wrapper.</summary>
internal static class OperationSupport
{
    /// <summary>
    /// Runs one unit of a batch (one id, one item, one folder). A refusal becomes a
    /// ResponseClass="Error" message with <paramref name="errorContent"/>; the batch goes on.
    /// </summary>
    public static XElement PerItem(EwsRequestContext context, string messageName, Func<object?[]> run, Func<object?[]>? errorContent = null)
    {
        try
        {
            var content = run();
            context.ResponseCodes.Add("NoError");
            return Soap.Success(messageName, content);
        }
        catch (EwsException error)
        {
            context.ResponseCodes.Add(error.ResponseCode);
            return Soap.Error(messageName, error, errorContent?.Invoke() ?? []);
        }
        catch (FormatException error)
        {
            var invalid = new EwsException("ErrorInvalidValueForProperty", $"The specified value is invalid for property. ({error.Message})");
            context.ResponseCodes.Add(invalid.ResponseCode);
            return Soap.Error(messageName, invalid, errorContent?.Invoke() ?? []);
        }
    }

    public static XElement Response(string responseName, IEnumerable<XElement> messages) =>
        new(M + responseName, new XElement(M + "ResponseMessages", messages));

    public static IEnumerable<XElement> FolderIdElements(XElement? container) =>
        container?.Elements().Where(e => e.Name.LocalName is "FolderId" or "DistinguishedFolderId") ?? [];

    /// <summary>The target mailbox of a request that names no folder (CreateItem without SavedItemFolderId).</summary>
    public static Mailbox RequireMailbox(EwsRequestContext context) =>
        context.Mailbox ?? throw new EwsException("ErrorMissingEmailAddress", "When making a request as an account that does not have a mailbox, you must specify the mailbox primary SMTP address for any distinguished folders.");
}
