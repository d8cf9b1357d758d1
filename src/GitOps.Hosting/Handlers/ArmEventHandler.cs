using System.Text.Json.Nodes;
using GitOps.Core.Events;
using GitOps.Core.Ports;
using GitOps.Core.Runs;
using GitOps.Core.Telemetry;
using GitOps.Hosting.Settings;
using GitOps.Storage;
using GitOps.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace GitOps.Hosting.Handlers;

/// <summary>
/// The <c>events</c> function: one ARM event (Event Grid or CloudEvents schema, JSON or Base64 of it) from the queue the
/// Event Grid subscription delivers to. It drops the reconciler's own writes, finds the environments that manage the
/// resource in the resource index, records the change in each one's inbox and, once per coalescing window, enqueues
/// a drift job scoped to that inbox. Unmanaged resources are counted and dropped; a malformed or unexpected event is
/// written to the events poison queue with the reason, never thrown.
/// </summary>
/// <remarks>
/// The event is untrusted input: whoever can write to the queue can send one. All it can cause is a drift check of
/// resources that an environment's inventory holds, checked against what git declares (docs/security.md, "ARM events").
/// </remarks>
/// <param name="settings">Own principals, the coalescing window.</param>
/// <param name="index">Resource id → environments.</param>
/// <param name="inbox">The changes waiting per environment.</param>
/// <param name="scheduler">Enqueues an environment's event-driven drift job once per window.</param>
/// <param name="poison">The events poison queue, where refused events are recorded.</param>
/// <param name="logger">Log.</param>
/// <param name="timeProvider">Clock.</param>
public sealed class ArmEventHandler(
    EventSettings settings,
    IResourceIndex index,
    IChangeInbox inbox,
    EventJobScheduler scheduler,
    StorageQueueClient poison,
    ILogger<ArmEventHandler> logger,
    TimeProvider? timeProvider = null)
{
    /// <summary>The most of a refused message kept in its poison record.</summary>
    public const int MaxRecordedMessageLength = 8 * 1024;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly HashSet<string> _own = new(settings.OwnPrincipals.Select(ArmEventReader.NormalizePrincipal), StringComparer.Ordinal);

    /// <summary>Handles one message.</summary>
    /// <param name="message">The message text (as stored, or as the host decoded it).</param>
    /// <param name="dequeueCount">Which delivery this is.</param>
    /// <param name="cancellationToken">Host shutdown.</param>
    public async Task<ArmEventResult> HandleAsync(string message, int dequeueCount, CancellationToken cancellationToken = default)
    {
        var read = ArmEventReader.Read(message);
        if (read.Event is not { } change)
        {
            return await RefuseAsync(message, read.Problem!, dequeueCount, cancellationToken).ConfigureAwait(false);
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["eventId"] = change.EventId, ["resourceId"] = change.ResourceId });
        if (change.PrincipalIds.Any(_own.Contains))
        {
            GitOpsTelemetry.EventHandled("own");
            logger.LogDebug("Event {EventId} is the reconciler's own {Kind} of {ResourceId}; dropped.", change.EventId, change.Kind, change.ResourceId);
            return new ArmEventResult(MessageDisposition.Complete, ArmEventOutcome.Own, []);
        }

        try
        {
            var entries = await index.FindAsync(change.ResourceId, cancellationToken).ConfigureAwait(false);
            if (entries.Count == 0)
            {
                GitOpsTelemetry.EventHandled("unmanaged");
                logger.LogDebug("Event {EventId}: no environment manages {ResourceId}; counted, not acted on.", change.EventId, change.ResourceId);
                return new ArmEventResult(MessageDisposition.Complete, ArmEventOutcome.Unmanaged, []);
            }

            var environments = new List<string>();
            foreach (var entry in entries.DistinctBy(e => EnvironmentKeys.Of(e.Repository, e.Environment)))
            {
                // The inventory's spelling of the id, so the run matches it to the declaration whatever case the event used.
                await inbox.AddAsync(entry.Repository, entry.Environment, ChangeAttribution.FromEvent(change) with { ResourceId = entry.ResourceId }, cancellationToken).ConfigureAwait(false);
                await scheduler.ScheduleAsync(entry.Repository, entry.Environment, settings.CoalesceWindow, cancellationToken).ConfigureAwait(false);
                environments.Add(EnvironmentKeys.Of(entry.Repository, entry.Environment));
            }

            GitOpsTelemetry.EventHandled("queued");
            logger.LogInformation("Event {EventId}: {Kind} of {ResourceId} by {Actor}; drift check of {Environments} scheduled.", change.EventId, change.Kind, change.ResourceId, change.Actor.Display, string.Join(", ", environments));
            return new ArmEventResult(MessageDisposition.Complete, ArmEventOutcome.Queued, environments);
        }
        catch (Exception error) when (StorageFailures.IsOutage(error))
        {
            // Recording twice is harmless (the inbox is keyed by resource, the mark by environment): retry.
            logger.LogWarning("Event {EventId} could not be recorded ({Reason}); it will be retried.", change.EventId, error.Message);
            return new ArmEventResult(MessageDisposition.Retry, ArmEventOutcome.Failed, []);
        }
    }

    private async Task<ArmEventResult> RefuseAsync(string message, string problem, int dequeueCount, CancellationToken cancellationToken)
    {
        GitOpsTelemetry.EventHandled("refused");
        var kept = message.Length <= MaxRecordedMessageLength ? message : message[..MaxRecordedMessageLength];
        var record = new JsonObject
        {
            ["reason"] = problem,
            ["refusedAt"] = _time.GetUtcNow().ToString("O"),
            ["queue"] = settings.QueueName,
            ["dequeueCount"] = dequeueCount,
            ["length"] = message.Length,
            ["truncated"] = kept.Length < message.Length,
            ["message"] = kept,
        };
        try
        {
            await poison.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await poison.SendMessageAsync(record.ToJsonString(), timeToLive: StorageQueueClient.InfiniteTimeToLive, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (StorageFailures.IsOutage(error))
        {
            logger.LogWarning("A refused event could not be recorded in {Poison} ({Reason}); it will be retried.", poison.Name, error.Message);
            return new ArmEventResult(MessageDisposition.Retry, ArmEventOutcome.Failed, [], problem);
        }

        logger.LogWarning("An event was refused and recorded in {Poison}: {Problem}", poison.Name, problem);
        return new ArmEventResult(MessageDisposition.Complete, ArmEventOutcome.Refused, [], problem);
    }
}
