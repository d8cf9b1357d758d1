namespace GitOps.ArmSimulator.Events;

/// <summary>
/// Where the simulator delivers the events of successful writes and deletes: a storage queue, one event per message,
/// as an Event Grid event subscription with a <c>StorageQueue</c> destination does (see docs/arm-simulator.md, "Events").
/// </summary>
public sealed record ArmEventDestination
{
    /// <summary>A storage connection string with an account key (Azurite's, for example).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The queue; created on first delivery if missing.</summary>
    public required string QueueName { get; init; }

    /// <summary>
    /// True (the default) to store Base64 of the UTF-8 JSON, as Event Grid does today; false for the plain JSON text
    /// some deliveries have carried (platform-facts §7.4: the sources disagree, so consumers decode both).
    /// </summary>
    public bool Base64 { get; init; } = true;

    /// <summary>The envelope. Default <see cref="ArmEventSchema.EventGrid"/>.</summary>
    public ArmEventSchema Schema { get; init; } = ArmEventSchema.EventGrid;
}
