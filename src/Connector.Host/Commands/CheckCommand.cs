using System.CommandLine;
using Connector.Host.Hosting;
using Connector.Stores.Ews.Http;
using Connector.Sync.Stores;
using Connector.Worker;
using Connector.Worker.Configuration;
using Connector.Worker.Identities;
using Connector.Worker.Users;
using Microsoft.Extensions.Options;

namespace Connector.Host.Commands;

/// <summary>
/// <c>check</c>: validates the configuration, opens the database, then asks every identity for a
/// mailbox's folders (EWS GetFolder through impersonation) and every user's Nextcloud side for its
/// collections, and says exactly what failed. Writes nothing. Exit 3 for configuration errors, 4 when
/// something does not answer.
/// </summary>
public static class CheckCommand
{
    /// <summary>How long one probe may take.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    public static Command Create()
    {
        var command = new Command("check", "Validate the configuration, then test every identity and every Nextcloud endpoint; print what failed.");
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await CommandSupport.LoadAsync(parseResult, error) is not { } loaded)
        {
            return ExitCodes.Configuration;
        }

        try
        {
            _ = ConnectorHosting.CreateBuilder(loaded.Configuration, []);
        }
        catch (OptionsValidationException ex)
        {
            await CommandSupport.PrintAsync(error, ex.Failures);
            return ExitCodes.Configuration;
        }

        await output.WriteLineAsync("ok    configuration");
        await using var runtime = await CommandSupport.OpenRuntimeAsync(loaded.Settings, error, cancellationToken);
        if (runtime is null)
        {
            return ExitCodes.Configuration;
        }

        await output.WriteLineAsync($"ok    database: {loaded.Settings.Database}");
        await output.WriteLineAsync($"ok    admins file: {runtime.Identities.Count} identit{(runtime.Identities.Count == 1 ? "y" : "ies")} in {loaded.Settings.AdminsFilePath}");
        IReadOnlyList<ConsentingUser> users;
        try
        {
            users = await runtime.UserSource.ListUsersAsync(cancellationToken);
        }
        catch (ConfigurationException ex)
        {
            await CommandSupport.PrintAsync(error, ex.Errors);
            return ExitCodes.Configuration;
        }

        await output.WriteLineAsync($"ok    users file: {users.Count} user(s) in {loaded.Settings.UsersFilePath}");
        var failures = 0;
        var known = (await runtime.State.ListUsersAsync(cancellationToken)).ToDictionary(u => u.UserId, StringComparer.Ordinal);
        foreach (var identity in runtime.Identities)
        {
            var probe = users.FirstOrDefault(u => known.GetValueOrDefault(u.UserId)?.IdentityName == identity.Name) ?? (users.Count > 0 ? users[0] : null);
            if (probe is null)
            {
                await output.WriteLineAsync($"skip  identity {identity.Name}: no user to test impersonation with");
                continue;
            }

            var store = runtime.ExchangeFactories.Create(identity, new ExchangeMailboxSettings { Mailbox = probe.Mailbox, BatchLimit = loaded.Settings.Service.BatchLimit });
            var problem = await ProbeAsync(
                store,
                ex => ex switch
                {
                    CredentialRejectedException => $"Exchange rejected the identity's credentials: {ex.Message}",
                    EwsMailboxAccessException access => $"the identity may not open mailbox {probe.Mailbox} ({access.ResponseCode}): grant ApplicationImpersonation or check the address",
                    _ => ex.Message,
                },
                cancellationToken);
            failures += await ReportAsync(output, problem, $"identity {identity.Name} ({identity.EwsUrl}): mailbox {probe.Mailbox}");
        }

        foreach (var user in users.Where(u => u.Enabled))
        {
            var where = user.Nextcloud.VdirPath is { } path ? $"vdir {path}" : $"{user.Nextcloud.DavUrl} as {user.Nextcloud.UserName}";
            string? problem;
            try
            {
                var store = await runtime.NextcloudFactory.CreateAsync(user.Nextcloud, cancellationToken);
                problem = await ProbeAsync(store, ex => ex is CredentialRejectedException ? "Nextcloud rejected the app password (401)" : ex.Message, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or StoreException)
            {
                problem = ex.Message;
            }

            failures += await ReportAsync(output, problem, $"user {user.UserId}: Nextcloud {where}");
        }

        if (failures > 0)
        {
            await error.WriteLineAsync($"error: {failures} check(s) failed");
            return ExitCodes.Failed;
        }

        return ExitCodes.Success;
    }

    private static async Task<int> ReportAsync(TextWriter output, string? problem, string what)
    {
        await output.WriteLineAsync(problem is null ? $"ok    {what}" : $"FAIL  {what}: {problem}");
        return problem is null ? 0 : 1;
    }

    /// <summary>Lists the collections; null when that worked, else why not.</summary>
    private static async Task<string?> ProbeAsync(IItemStore store, Func<Exception, string> explain, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await store.DiscoverCollectionsAsync(ItemKind.Event | ItemKind.Contact | ItemKind.Task, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is StoreException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            return explain(ex);
        }
    }
}
