namespace GitOps.Storage.Blobs;

/// <summary>The <c>x-ms-lease-state</c> of a blob.</summary>
public enum BlobLeaseState
{
    /// <summary>Not reported or not recognized.</summary>
    Unknown,
    /// <summary>Can be leased.</summary>
    Available,
    /// <summary>Leased.</summary>
    Leased,
    /// <summary>The lease ran out.</summary>
    Expired,
    /// <summary>Being broken; ends at the break period.</summary>
    Breaking,
    /// <summary>Broken; can be acquired again.</summary>
    Broken,
}
