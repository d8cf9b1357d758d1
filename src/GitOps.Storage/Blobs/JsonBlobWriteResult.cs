using System.Diagnostics.CodeAnalysis;
using Azure;

namespace GitOps.Storage.Blobs;

/// <summary>The outcome of a guarded JSON write: written with a new ETag, or refused because a condition failed.</summary>
public sealed class JsonBlobWriteResult
{
    private JsonBlobWriteResult(ETag? etag, StorageConditionFailure? conflict)
    {
        ETag = etag;
        Conflict = conflict;
    }

    /// <summary>True when the document was written.</summary>
    [MemberNotNullWhen(true, nameof(ETag))]
    [MemberNotNullWhen(false, nameof(Conflict))]
    public bool Succeeded => ETag is not null;

    /// <summary>The new ETag when written.</summary>
    public ETag? ETag { get; }

    /// <summary>Why the write was refused (for example <see cref="StorageConditionFailure.ConditionNotMet"/>: someone else wrote first).</summary>
    public StorageConditionFailure? Conflict { get; }

    /// <summary>A successful write.</summary>
    /// <param name="etag">The new ETag.</param>
    /// <returns>The result.</returns>
    public static JsonBlobWriteResult Written(ETag etag) => new(etag, null);

    /// <summary>A refused write.</summary>
    /// <param name="conflict">Which condition failed.</param>
    /// <returns>The result.</returns>
    public static JsonBlobWriteResult Conflicted(StorageConditionFailure conflict) => new(null, conflict);

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"Written {ETag}" : $"Conflict {Conflict}";
}
