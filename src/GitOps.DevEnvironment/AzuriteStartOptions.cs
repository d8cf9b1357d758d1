namespace GitOps.DevEnvironment;

/// <summary>How to start Azurite.</summary>
/// <param name="Executable">The Azurite executable (<see cref="AzuriteInstaller.Find"/>).</param>
public sealed record AzuriteStartOptions(string Executable)
{
    /// <summary>A PEM certificate to serve HTTPS with (with <see cref="KeyPath"/>); plain HTTP when null.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; init; }

    /// <summary>Whether Azurite accepts bearer tokens (<c>--oauth basic</c>; needs HTTPS).</summary>
    public bool OAuth { get; init; }

    /// <summary>
    /// Whether Azurite keeps its data in its working folder instead of memory. The in-memory store stops at 256 MB;
    /// benchmarks with hundreds of megabytes of records need the disk.
    /// </summary>
    public bool PersistToDisk { get; init; }

    /// <summary>
    /// Whether Azurite accepts any service version (<c>--skipApiVersionCheck</c>, the default). Off, it refuses a
    /// version it does not know, which shows that the clients' pinned version (StorageClients) is one it knows.
    /// </summary>
    public bool SkipApiVersionCheck { get; init; } = true;

    /// <summary>How long to wait for Azurite to report its ports.</summary>
    public TimeSpan StartDeadline { get; init; } = TimeSpan.FromSeconds(60);
}
