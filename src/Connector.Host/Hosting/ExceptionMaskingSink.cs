using Serilog.Core;
using Serilog.Events;

namespace Connector.Host.Hosting;

/// <summary>
/// Wraps every sink: an exception whose text carries a password (a connection string in an
/// Npgsql message, a URL with user-info) reaches the sink as a copy with the password masked.
/// Properties are masked earlier by <see cref="SecretMaskingEnricher"/>; an event's exception
/// cannot be replaced by an enricher, hence this second place.
/// </summary>
internal sealed class ExceptionMaskingSink(ILogEventSink inner) : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
        if (logEvent.Exception is { } exception)
        {
            var text = exception.ToString();
            var masked = SecretMaskingEnricher.MaskInsideText(text);
            if (!ReferenceEquals(masked, text))
            {
                logEvent = new LogEvent(
                    logEvent.Timestamp,
                    logEvent.Level,
                    new SecretMaskedException(exception, masked),
                    logEvent.MessageTemplate,
                    logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)),
                    logEvent.TraceId ?? default,
                    logEvent.SpanId ?? default);
            }
        }

        inner.Emit(logEvent);
    }
}

/// <summary>
/// Stands in for an exception whose text held a secret: same message and rendering (type name,
/// stack, inner exceptions), with the secret masked.
/// </summary>
#pragma warning disable CA1032, CA1064 // Created only by ExceptionMaskingSink; never thrown or caught.
internal sealed class SecretMaskedException(Exception original, string maskedText)
    : Exception(original.GetType().FullName + ": " + SecretMaskingEnricher.MaskInsideText(original.Message))
#pragma warning restore CA1032, CA1064
{
    public override string ToString() => maskedText;
}
