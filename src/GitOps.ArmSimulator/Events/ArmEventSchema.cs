namespace GitOps.ArmSimulator.Events;

/// <summary>The envelope an Event Grid event subscription delivers events in (its <c>eventDeliverySchema</c>).</summary>
public enum ArmEventSchema
{
    /// <summary>The Event Grid schema: <c>{id, topic, subject, eventType, eventTime, data, dataVersion, metadataVersion}</c>.</summary>
    EventGrid,

    /// <summary>CloudEvents 1.0: <c>{specversion, id, source, subject, type, time, data}</c>.</summary>
    CloudEvents,
}
