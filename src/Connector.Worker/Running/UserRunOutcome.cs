using System.Globalization;
using Connector.Sync.Engine;
using Connector.Sync.Stores;

namespace Connector.Worker.Running;

/// <summary>How one user's run ended, as the scheduler needs to know it.</summary>
public enum UserRunStatus
{
    /// <summary>Every kind synced (items may still have been skipped with errors: S21).</summary>
    Success,

    /// <summary>At least one kind failed (server down, a folder gone…): retried with back-off.</summary>
    Failed,

    /// <summary>A pair was halted by the empty-side guard (S06): needs an administrator, not a retry loop.</summary>
    Halted,

    /// <summary>Nextcloud rejected the user's app password (401): the user is stopped until it changes (S16).</summary>
    NextcloudCredentialRejected,

    /// <summary>Exchange rejected the identity's own credentials: the identity is quarantined, the user moves (S16).</summary>
    IdentityCredentialRejected,

    /// <summary>Exchange refused this mailbox to this identity (impersonation denied, no such mailbox).</summary>
    MailboxAccessDenied,

    /// <summary>No identity could take the user (all quarantined or full).</summary>
    NoIdentity,
}

/// <summary>One kind of one user's run: the engine's report, or why it could not run.</summary>
public sealed record KindRunResult(ItemKind Kind, SyncReport? Report, string? Error = null, string? Note = null)
{
    /// <summary>"calendars: created 3 in Nextcloud" — counts only, never item content.</summary>
    public string Describe() => $"{KindName(Kind)}: {Error ?? Note ?? Report?.Describe() ?? "nothing to do"}";

    public static string KindName(ItemKind kind) => kind switch
    {
        ItemKind.Event => "calendar",
        ItemKind.Contact => "contacts",
        ItemKind.Task => "tasks",
        _ => kind.ToString(),
    };

    public int Count(SyncActionKind action, Side target) => Report is { DryRun: false } r ? r.Count(action, target) : 0;
}

/// <summary>What one user's run did and how it ended.</summary>
public sealed record UserRunOutcome(UserRunStatus Status, string? Error, IReadOnlyList<KindRunResult> Kinds, bool FirstSyncPending)
{
    public string Describe() => Kinds.Count == 0
        ? Error ?? Status.ToString()
        : string.Join("; ", Kinds.Select(k => k.Describe())) + (Error is null || Kinds.Any(k => k.Error == Error) ? string.Empty : "; " + Error);

    public string CountsLine() => string.Create(CultureInfo.InvariantCulture, $"{Status}: {Describe()}");
}
