using System.Globalization;
using System.Xml.Linq;
using Connector.Emulator.Store;
using Connector.Emulator.Store.Calendar;
using static Connector.Emulator.Ews.EwsNames;
using static Connector.Emulator.Ews.Operations.OperationSupport;

namespace Connector.Emulator.Ews.Operations;

/// <summary>
/// FindItem: the items of a folder in creation order, paged with IndexedPageItemView, or a
/// calendar view (singles, occurrences and exceptions overlapping the range, by start), with an
/// optional Restriction (see <see cref="Restrictions"/>). Recurring masters are listed as masters
/// outside a calendar view, as on Exchange.
/// </summary>
internal static class FindItemOperation
{
    public static XElement Execute(EwsRequestContext context, XElement request)
    {
        var shape = ItemShape.Parse(request.Element(M + "ItemShape"));
        var traversal = (string?)request.Attribute("Traversal");
        var indexed = request.Element(M + "IndexedPageItemView");
        var calendarView = request.Element(M + "CalendarView");
        var restriction = request.Element(M + "Restriction")?.Elements().FirstOrDefault();
        if (request.Element(M + "FractionalPageItemView") is not null || request.Element(M + "SeekToConditionPageItemView") is not null
            || request.Element(M + "GroupBy") is not null || request.Element(M + "DistinguishedGroupBy") is not null || request.Element(M + "QueryString") is not null)
        {
            var unsupported = new EwsException("ErrorInvalidOperation", "The emulator supports FindItem with IndexedPageItemView, CalendarView or no view, without grouping or query strings.");
            return Response("FindItemResponse", [Soap.Error("FindItemResponseMessage", unsupported)]);
        }

        var messages = FolderIdElements(request.Element(M + "ParentFolderIds")).Select(id => PerItem(context, "FindItemResponseMessage", () =>
        {
            var (mailbox, folder) = context.ResolveFolder(id);
            lock (mailbox.Gate)
            {
                var rows = new List<(StoredItem Item, DateTime? Occurrence, DateTime Start)>();
                if (traversal == "Shallow")
                {
                    if (calendarView is not null)
                    {
                        if (folder.Kind != FolderKind.Calendar)
                        {
                            throw new EwsException("ErrorCalendarFolderIsInvalidForCalendarView", "CalendarView can only be used with calendar folders.");
                        }

                        rows.AddRange(Expand(folder, CalendarTimes.ParseUtc((string)calendarView.Attribute("StartDate")!), CalendarTimes.ParseUtc((string)calendarView.Attribute("EndDate")!)));
                    }
                    else
                    {
                        rows.AddRange(folder.Items.Values.Select(i => (i, (DateTime?)null, DateTime.MinValue)));
                    }
                }

                if (restriction is not null)
                {
                    rows = rows.Where(r => Restrictions.Matches(restriction, mailbox, r.Item, r.Occurrence)).ToList();
                }

                return calendarView is not null ? CalendarPage(mailbox, rows, calendarView, shape) : IndexedPage(mailbox, rows, indexed, shape);
            }
        }));
        return Response("FindItemResponse", messages);
    }

    private static object?[] IndexedPage(Mailbox mailbox, List<(StoredItem Item, DateTime? Occurrence, DateTime Start)> rows, XElement? view, ItemShape shape)
    {
        var offset = (int?)view?.Attribute("Offset") ?? 0;
        var max = (int?)view?.Attribute("MaxEntriesReturned") ?? int.MaxValue;
        if (offset < 0 || max < 1)
        {
            throw new EwsException("ErrorInvalidIndexedPagingParameters", "The indexed paging parameters are invalid.");
        }

        if ((string?)view?.Attribute("BasePoint") == "End")
        {
            rows.Reverse();
        }

        var page = rows.Skip(offset).Take(max).ToList();
        return
        [
            new XElement(
                M + "RootFolder",
                new XAttribute("IndexedPagingOffset", (offset + page.Count).ToString(CultureInfo.InvariantCulture)),
                new XAttribute("TotalItemsInView", rows.Count.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("IncludesLastItemInRange", offset + page.Count >= rows.Count ? "true" : "false"),
                new XElement(T + "Items", page.Select(r => ItemXmlWriter.Write(mailbox, r.Item, r.Occurrence, shape, forFind: true)))),
        ];
    }

    private static object?[] CalendarPage(Mailbox mailbox, List<(StoredItem Item, DateTime? Occurrence, DateTime Start)> rows, XElement view, ItemShape shape)
    {
        var max = (int?)view.Attribute("MaxEntriesReturned") ?? int.MaxValue;
        var ordered = rows.OrderBy(r => r.Start).ToList();
        var page = ordered.Take(max).ToList();
        return
        [
            new XElement(
                M + "RootFolder",
                new XAttribute("TotalItemsInView", ordered.Count.ToString(CultureInfo.InvariantCulture)),
                new XAttribute("IncludesLastItemInRange", page.Count >= ordered.Count ? "true" : "false"),
                new XElement(T + "Items", page.Select(r => ItemXmlWriter.Write(mailbox, r.Item, r.Occurrence, shape, forFind: true)))),
        ];
    }

    /// <summary>Singles, occurrences and exceptions overlapping [from, to).</summary>
    private static IEnumerable<(StoredItem Item, DateTime? Occurrence, DateTime Start)> Expand(MailFolder folder, DateTime from, DateTime to)
    {
        foreach (var item in folder.Items.Values.Where(i => i.Kind == ItemKind.CalendarItem))
        {
            var series = CalendarSeries.Of(item);
            if (series is null)
            {
                var start = CalendarTimes.StartUtc(item.Props);
                if (start < to && CalendarTimes.EndUtc(item.Props) > from)
                {
                    yield return (item, null, start);
                }

                continue;
            }

            foreach (var (_, original) in series.Occurrences())
            {
                if (original > to.AddDays(366))
                {
                    break;
                }

                if (item.DeletedOccurrences.Contains(original))
                {
                    continue;
                }

                var exception = item.Exceptions.GetValueOrDefault(original);
                var start = exception is null ? original : CalendarTimes.StartUtc(exception.Props);
                var end = exception is null ? series.EndOf(original) : CalendarTimes.EndUtc(exception.Props);
                if (start < to && end > from)
                {
                    yield return (item, original, start);
                }
            }
        }
    }
}
