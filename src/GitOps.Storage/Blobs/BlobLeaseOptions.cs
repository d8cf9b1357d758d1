namespace GitOps.Storage.Blobs;

/// <summary>How <see cref="BlobLease"/> acquires and keeps a lease.</summary>
public sealed class BlobLeaseOptions
{
    /// <summary>The lease duration: 15 to 60 seconds, or <see cref="BlobLease.InfiniteDuration"/> (then nothing renews it). Default 30 s.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the background loop renews; a third of <see cref="Duration"/> when null, so two renewals can fail before expiry.</summary>
    public TimeSpan? RenewInterval { get; set; }

    /// <summary>Create the (empty) lock blob create-only when it does not exist, since leases need an existing blob. Default true.</summary>
    public bool CreateBlobIfMissing { get; set; } = true;

    /// <summary>The lease id to propose (a GUID string); a new GUID when null, so a retried acquire recognises its own lease.</summary>
    public string? ProposedLeaseId { get; set; }

    /// <summary>The clock for renew timing.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
