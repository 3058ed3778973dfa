using System.Xml;

namespace Connector.Stores.Ews.Http;

/// <summary>
/// The common head of one m:…ResponseMessage: ResponseClass, ResponseCode, MessageText and MessageXml. Per-item
/// codes (ErrorItemNotFound) are for the operation to turn into results; codes that stop the whole request
/// (ErrorServerBusy, ErrorImpersonateUserDenied…) never reach it: <see cref="ReadMessages"/> throws for them.
/// </summary>
internal sealed class EwsMessageStatus
{
    public string ResponseClass { get; private set; } = "Success";

    public string ResponseCode { get; private set; } = "NoError";

    public string? MessageText { get; private set; }

    public IReadOnlyDictionary<string, string> MessageXml { get; private set; } = EmptyValues;

    public bool IsSuccess => string.Equals(ResponseCode, "NoError", StringComparison.Ordinal);

    private static readonly IReadOnlyDictionary<string, string> EmptyValues = new Dictionary<string, string>();

    /// <summary>
    /// Reads m:ResponseMessages of the response element the reader is on: for each message, the content elements
    /// after the head go to <paramref name="onContent"/> (with the head already read), then
    /// <paramref name="onMessageEnd"/> is called once. A code that stops the request throws
    /// <see cref="EwsServerErrorException"/>.
    /// </summary>
    public static void ReadMessages(XmlReader response, Action<EwsMessageStatus, XmlReader> onContent, Action<EwsMessageStatus> onMessageEnd)
    {
        EwsXml.ForEachChild(response, section =>
        {
            if (!EwsXml.Is(section, EwsXml.Messages, "ResponseMessages"))
            {
                return;
            }

            EwsXml.ForEachChild(section, message =>
            {
                var status = new EwsMessageStatus { ResponseClass = message.GetAttribute("ResponseClass") ?? "Success" };
                EwsXml.ForEachChild(message, child =>
                {
                    if (child.NamespaceURI == EwsXml.Messages && child.LocalName == "MessageText")
                    {
                        status.MessageText = EwsXml.ReadText(child);
                    }
                    else if (child.NamespaceURI == EwsXml.Messages && child.LocalName == "ResponseCode")
                    {
                        // A stopping code throws only at the message's end: MessageXml (BackOffMilliseconds) follows it.
                        status.ResponseCode = EwsXml.ReadText(child);
                    }
                    else if (child.NamespaceURI == EwsXml.Messages && child.LocalName == "DescriptiveLinkKey")
                    {
                        child.Skip();
                    }
                    else if (child.NamespaceURI == EwsXml.Messages && child.LocalName == "MessageXml")
                    {
                        status.MessageXml = EwsXml.ReadMessageXml(child);
                    }
                    else if (!EwsFailurePolicy.StopsRequest(status.ResponseCode))
                    {
                        onContent(status, child);
                    }
                });

                if (EwsFailurePolicy.StopsRequest(status.ResponseCode))
                {
                    throw new EwsServerErrorException(status.ResponseCode, status.MessageText, status.MessageXml);
                }

                onMessageEnd(status);
            });
        });
    }
}
