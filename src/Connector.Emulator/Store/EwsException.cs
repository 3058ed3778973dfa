namespace Connector.Emulator.Store;

/// <summary>
/// A per-item refusal with an EWS ResponseCode (ErrorItemNotFound, ErrorIrresolvableConflict, …).
/// Thrown by the store and caught at exactly one place per operation, where it becomes a
/// ResponseClass="Error" message inside an otherwise successful batch response.
/// </summary>
internal sealed class EwsException : Exception
{
    public EwsException(string responseCode, string messageText)
        : base(messageText)
    {
        ResponseCode = responseCode;
    }

    public EwsException()
    {
        ResponseCode = "ErrorInternalServerError";
    }

    public EwsException(string message)
        : base(message)
    {
        ResponseCode = "ErrorInternalServerError";
    }

    public EwsException(string message, Exception innerException)
        : base(message, innerException)
    {
        ResponseCode = "ErrorInternalServerError";
    }

    public string ResponseCode { get; }

    public static EwsException ItemNotFound() => new("ErrorItemNotFound", "The specified object was not found in the store.");

    public static EwsException FolderNotFound() => new("ErrorFolderNotFound", "The specified folder could not be found in the store.");

    public static EwsException IdMalformed() => new("ErrorInvalidIdMalformed", "Id is malformed.");

    public static EwsException InvalidPropertySet(string field) => new("ErrorInvalidPropertySet", $"Set action is invalid for property. ({field})");
}
