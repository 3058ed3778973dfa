using System.Xml;
using Connector.Stores.Ews.Http;

namespace Connector.Stores.Ews.Operations;

/// <summary>One folder of a GetFolder answer: its id, or the per-folder error code.</summary>
internal sealed record EwsFolderResult(EwsFolderRef Requested, EwsItemId? FolderId, string? DisplayName, string ResponseCode, string? MessageText)
{
    public bool Found => FolderId is not null;
}

/// <summary>
/// GetFolder for a few folders (the distinguished calendar, contacts and tasks folders): folder id, change key and
/// display name (BaseShape Default). One result per requested folder, in request order.
/// </summary>
internal sealed class GetFolderOperation(IReadOnlyList<EwsFolderRef> folders) : IEwsOperation<IReadOnlyList<EwsFolderResult>>
{
    public string Name => "GetFolder";

    public void Build(XmlWriter writer)
    {
        writer.WriteStartElement("m", "GetFolder", EwsXml.Messages);
        writer.WriteStartElement("m", "FolderShape", EwsXml.Messages);
        // Default: id, display name and counts. (IdOnly + folder:DisplayName would do on Exchange, but the
        // emulator ignores AdditionalProperties for folders, and Default costs nothing more.)
        EwsXml.WriteTypesElement(writer, "BaseShape", "Default");
        writer.WriteEndElement();
        writer.WriteStartElement("m", "FolderIds", EwsXml.Messages);
        foreach (var folder in folders)
        {
            folder.Write(writer);
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    public IReadOnlyList<EwsFolderResult> Parse(XmlReader reader)
    {
        var results = new List<EwsFolderResult>();
        EwsItemId? id = null;
        string? displayName = null;
        EwsMessageStatus.ReadMessages(
            reader,
            (status, content) =>
            {
                if (!status.IsSuccess || !EwsXml.Is(content, EwsXml.Messages, "Folders"))
                {
                    content.Skip();
                    return;
                }

                EwsXml.ForEachChild(content, folder => EwsXml.ForEachChild(folder, property =>
                {
                    if (EwsXml.Is(property, EwsXml.Types, "FolderId"))
                    {
                        id = EwsItemId.Read(property);
                    }
                    else if (EwsXml.Is(property, EwsXml.Types, "DisplayName"))
                    {
                        displayName = EwsXml.ReadText(property);
                    }
                    else
                    {
                        property.Skip();
                    }
                }));
            },
            status =>
            {
                var requested = results.Count < folders.Count ? folders[results.Count] : throw EwsFailurePolicy.ForUnexpectedAnswer(Name, "more response messages than folders asked for");
                results.Add(new EwsFolderResult(requested, status.IsSuccess ? id : null, displayName, status.ResponseCode, status.MessageText));
                id = null;
                displayName = null;
            });

        return results.Count == folders.Count
            ? results
            : throw EwsFailurePolicy.ForUnexpectedAnswer(Name, $"{results.Count} response messages for {folders.Count} folders");
    }
}
