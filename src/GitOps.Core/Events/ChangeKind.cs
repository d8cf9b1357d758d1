namespace GitOps.Core.Events;

/// <summary>What an out-of-band change did to a resource.</summary>
public enum ChangeKind
{
    /// <summary>Created or updated it (<c>Microsoft.Resources.ResourceWriteSuccess</c>).</summary>
    Write,

    /// <summary>Deleted it (<c>Microsoft.Resources.ResourceDeleteSuccess</c>).</summary>
    Delete,
}
