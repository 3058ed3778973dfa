namespace Connector.Emulator.Ews;

/// <summary>A request-level refusal answered with a SOAP fault (HTTP 500), e.g. ErrorImpersonateUserDenied.</summary>
internal sealed class EwsFault : Exception
{
    public EwsFault(string responseCode, string message)
        : base(message)
    {
        ResponseCode = responseCode;
    }

    public EwsFault()
    {
        ResponseCode = "ErrorInternalServerError";
    }

    public EwsFault(string message)
        : base(message)
    {
        ResponseCode = "ErrorInternalServerError";
    }

    public EwsFault(string message, Exception innerException)
        : base(message, innerException)
    {
        ResponseCode = "ErrorInternalServerError";
    }

    public string ResponseCode { get; }
}
