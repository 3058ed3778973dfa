namespace Connector.Emulator.Store;

/// <summary>What the emulator knows about an item property beyond its schema position.</summary>
[Flags]
internal enum FieldFlags
{
    None = 0,

    /// <summary>Computed by the server: CreateItem / SetItemField give ErrorInvalidPropertySet.</summary>
    ReadOnly = 1,

    /// <summary>Part of the Default response shape.</summary>
    Default = 2,

    /// <summary>Not returned by FindItem and SyncFolderItems (fetch with GetItem).</summary>
    NoFind = 4,

    /// <summary>AppendToItemField is allowed.</summary>
    Append = 8,

    /// <summary>Not emulated: setting it is refused.</summary>
    Unsupported = 16,
}

/// <summary>
/// The item fields the emulator treats specially, declared once: read-only, Default shape,
/// not available in FindItem/SyncFolderItems, appendable. Any other element of the item's schema
/// type is an ordinary stored property (settable, returned with AllProperties or on request).
/// The element name is the field URI's part after the colon ("calendar:Start" → Start).
/// </summary>
internal static class ItemFields
{
    private const FieldFlags RO = FieldFlags.ReadOnly;
    private const FieldFlags D = FieldFlags.Default;
    private const FieldFlags NF = FieldFlags.NoFind;

    private static readonly Dictionary<string, FieldFlags> Common = new(StringComparer.Ordinal)
    {
        ["MimeContent"] = FieldFlags.Unsupported | NF,
        ["ItemId"] = RO | D,
        ["ParentFolderId"] = RO | D,
        ["ItemClass"] = D,
        ["Subject"] = D,
        ["Sensitivity"] = D,
        ["Body"] = D | NF | FieldFlags.Append,
        ["Attachments"] = FieldFlags.Unsupported | NF,
        ["DateTimeReceived"] = RO | D,
        ["Size"] = RO | D,
        ["Categories"] = D,
        ["Importance"] = D,
        ["IsSubmitted"] = RO | D,
        ["IsDraft"] = RO | D,
        ["IsFromMe"] = RO | D,
        ["IsResend"] = RO | D,
        ["IsUnmodified"] = RO | D,
        ["InternetMessageHeaders"] = RO | NF,
        ["DateTimeSent"] = RO | D,
        ["DateTimeCreated"] = RO | D,
        ["ResponseObjects"] = RO | NF,
        ["ReminderDueBy"] = D,
        ["ReminderIsSet"] = D,
        ["ReminderMinutesBeforeStart"] = D,
        ["DisplayCc"] = RO | D,
        ["DisplayTo"] = RO | D,
        ["DisplayBcc"] = RO,
        ["HasAttachments"] = RO | D,
        ["Culture"] = D,
        ["EffectiveRights"] = RO,
        ["LastModifiedName"] = RO,
        ["LastModifiedTime"] = RO,
        ["IsAssociated"] = RO,
        ["ConversationId"] = RO,
        ["UniqueBody"] = RO | NF,
        ["NormalizedBody"] = RO | NF,
        ["TextBody"] = RO | NF,
        ["StoreEntryId"] = RO,
        ["InstanceKey"] = RO,
    };

    private static readonly Dictionary<string, FieldFlags> Calendar = new(StringComparer.Ordinal)
    {
        ["UID"] = FieldFlags.None,
        ["RecurrenceId"] = RO,
        ["DateTimeStamp"] = RO,
        ["Start"] = D,
        ["End"] = D,
        ["OriginalStart"] = RO,
        ["IsAllDayEvent"] = D,
        ["LegacyFreeBusyStatus"] = D,
        ["Location"] = D,
        ["When"] = D,
        ["IsMeeting"] = RO | D,
        ["IsCancelled"] = RO | D,
        ["IsRecurring"] = RO | D,
        ["MeetingRequestWasSent"] = RO | D,
        ["IsResponseRequested"] = D,
        ["CalendarItemType"] = RO | D,
        ["MyResponseType"] = RO | D,
        ["Organizer"] = RO | D,
        ["RequiredAttendees"] = D | NF | FieldFlags.Append,
        ["OptionalAttendees"] = D | NF | FieldFlags.Append,
        ["Resources"] = D | NF | FieldFlags.Append,
        ["ConflictingMeetingCount"] = RO,
        ["AdjacentMeetingCount"] = RO,
        ["ConflictingMeetings"] = RO | NF,
        ["AdjacentMeetings"] = RO | NF,
        ["Duration"] = RO | D,
        ["TimeZone"] = RO | D,
        ["AppointmentReplyTime"] = RO | D,
        ["AppointmentSequenceNumber"] = RO | D,
        ["AppointmentState"] = RO | D,
        ["Recurrence"] = NF,
        ["FirstOccurrence"] = RO | NF,
        ["LastOccurrence"] = RO | NF,
        ["ModifiedOccurrences"] = RO | NF,
        ["DeletedOccurrences"] = RO | NF,
        ["MeetingTimeZone"] = FieldFlags.None,
        ["StartTimeZone"] = FieldFlags.None,
        ["EndTimeZone"] = FieldFlags.None,
        ["ConferenceType"] = D,
        ["AllowNewTimeProposal"] = D,
        ["IsOnlineMeeting"] = D,
        ["MeetingWorkspaceUrl"] = D,
        ["NetShowUrl"] = D,
        ["StartTimeZoneId"] = RO,
        ["EndTimeZoneId"] = RO,
        ["IntendedFreeBusyStatus"] = RO,
        ["IsOrganizer"] = RO,
        ["InboxReminders"] = FieldFlags.Unsupported,
        ["EnhancedLocation"] = FieldFlags.None,
        ["StartWallClock"] = RO,
        ["EndWallClock"] = RO,
    };

    private static readonly Dictionary<string, FieldFlags> Contact = new(StringComparer.Ordinal)
    {
        ["FileAs"] = D,
        ["FileAsMapping"] = D,
        ["DisplayName"] = D,
        ["GivenName"] = D,
        ["Initials"] = D,
        ["MiddleName"] = D,
        ["Nickname"] = D,
        ["CompleteName"] = RO | D,
        ["CompanyName"] = D,
        ["EmailAddresses"] = D,
        ["AbchEmailAddresses"] = RO,
        ["PhysicalAddresses"] = D | NF,
        ["PhoneNumbers"] = D,
        ["AssistantName"] = D,
        ["Birthday"] = D,
        ["BusinessHomePage"] = D,
        ["Children"] = D,
        ["Companies"] = D,
        ["ContactSource"] = RO | D,
        ["Department"] = D,
        ["Generation"] = D,
        ["ImAddresses"] = D,
        ["JobTitle"] = D,
        ["Manager"] = D,
        ["Mileage"] = D,
        ["OfficeLocation"] = D,
        ["PostalAddressIndex"] = D,
        ["Profession"] = D,
        ["SpouseName"] = D,
        ["Surname"] = D,
        ["WeddingAnniversary"] = D,
        ["HasPicture"] = RO,
        ["PhoneticFullName"] = RO,
        ["PhoneticFirstName"] = RO,
        ["PhoneticLastName"] = RO,
        ["Alias"] = RO,
        ["Notes"] = RO,
        ["Photo"] = RO,
        ["UserSMIMECertificate"] = RO,
        ["MSExchangeCertificate"] = RO,
        ["DirectoryId"] = RO,
        ["ManagerMailbox"] = RO,
        ["DirectReports"] = RO,
    };

    private static readonly Dictionary<string, FieldFlags> Task = new(StringComparer.Ordinal)
    {
        ["ActualWork"] = D,
        ["AssignedTime"] = RO | D,
        ["BillingInformation"] = D,
        ["ChangeCount"] = RO | D,
        ["Companies"] = D,
        ["CompleteDate"] = D,
        ["Contacts"] = D,
        ["DelegationState"] = RO | D,
        ["Delegator"] = RO | D,
        ["DueDate"] = D,
        ["IsAssignmentEditable"] = RO | D,
        ["IsComplete"] = RO | D,
        ["IsRecurring"] = RO | D,
        ["IsTeamTask"] = RO | D,
        ["Mileage"] = D,
        ["Owner"] = RO | D,
        ["PercentComplete"] = D,
        ["Recurrence"] = D | NF,
        ["StartDate"] = D,
        ["Status"] = D,
        ["StatusDescription"] = RO | D,
        ["TotalWork"] = D,
    };

    private static readonly Lazy<HashSet<string>> ItemTypeElements = new(() => Ews.Schema.EwsSchema.ElementOrder("ItemType").ToHashSet(StringComparer.Ordinal));

    public static FieldFlags Flags(ItemKind kind, string elementName)
    {
        var specific = kind switch
        {
            ItemKind.CalendarItem => Calendar,
            ItemKind.Contact => Contact,
            _ => Task,
        };
        if (specific.TryGetValue(elementName, out var flags) || Common.TryGetValue(elementName, out flags))
        {
            return flags;
        }

        // Any other schema element of the type: a plain stored property, except the ones newer
        // Exchange versions compute (social, preview, …), which are read-only here.
        return ItemTypeElements.Value.Contains(elementName) ? RO : FieldFlags.None;
    }

    public static bool Has(FieldFlags flags, FieldFlags flag) => (flags & flag) == flag;

    /// <summary>The element name addressed by an unindexed field URI ("calendar:Start" → Start).</summary>
    public static string ElementOf(string fieldUri)
    {
        var colon = fieldUri.LastIndexOf(':');
        return colon < 0 ? fieldUri : fieldUri[(colon + 1)..];
    }
}
