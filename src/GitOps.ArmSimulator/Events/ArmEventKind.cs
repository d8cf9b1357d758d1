namespace GitOps.ArmSimulator.Events;

/// <summary>The two event types the simulator raises.</summary>
public enum ArmEventKind
{
    /// <summary><c>Microsoft.Resources.ResourceWriteSuccess</c>: a PUT or PATCH succeeded (or was accepted).</summary>
    WriteSuccess,

    /// <summary><c>Microsoft.Resources.ResourceDeleteSuccess</c>: a DELETE removed the resource (or was accepted).</summary>
    DeleteSuccess,
}
