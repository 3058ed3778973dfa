namespace Connector.Domain;

/// <summary>
/// Exchange Sensitivity / iCalendar CLASS. Exchange's "Personal" has no iCalendar class; it is
/// written as <c>X-EXCHANGE-SENSITIVITY:PERSONAL</c> beside CLASS:PRIVATE so it survives a round trip.
/// </summary>
public enum Sensitivity
{
    Normal,
    Personal,
    Private,
    Confidential,
}

/// <summary>Exchange LegacyFreeBusyStatus; iCalendar TRANSP plus X-MICROSOFT-CDO-BUSYSTATUS.</summary>
public enum FreeBusyStatus
{
    Busy,
    Free,
    Tentative,
    OutOfOffice,
    WorkingElsewhere,
}

public enum EventStatus
{
    None,
    Confirmed,
    Tentative,
    Cancelled,
}
