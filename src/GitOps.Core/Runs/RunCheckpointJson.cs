using System.IO.Compression;
using System.Text.Json;

namespace GitOps.Core.Runs;

/// <summary>
/// The stored form of a <see cref="RunCheckpoint"/>: gzip-compressed JSON (<see cref="RunJson.CompactOptions"/>). A
/// checkpoint lists every declared resource and every write, and it is rewritten as the run progresses, so it is
/// compressed (ids repeat their scope; 10,000 resources take well under a megabyte).
/// </summary>
public static class RunCheckpointJson
{
    /// <summary>Serializes and compresses a checkpoint.</summary>
    public static byte[] Serialize(RunCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(gzip, checkpoint, RunJson.CompactOptions);
        }

        return output.ToArray();
    }

    /// <summary>Reads a checkpoint.</summary>
    /// <exception cref="FormatException">The bytes are not a checkpoint this version can read (damaged, another format); the message says which.</exception>
    public static RunCheckpoint Deserialize(ReadOnlySpan<byte> bytes)
    {
        RunCheckpoint? checkpoint;
        try
        {
            using var input = new GZipStream(new MemoryStream(bytes.ToArray()), CompressionMode.Decompress);
            checkpoint = JsonSerializer.Deserialize<RunCheckpoint>(input, RunJson.Options);
        }
        catch (Exception error) when (error is JsonException or InvalidDataException or NotSupportedException or EndOfStreamException or FormatException)
        {
            throw new FormatException($"The checkpoint is not gzip-compressed checkpoint JSON: {error.Message}", error);
        }

        if (checkpoint is null)
        {
            throw new FormatException("The checkpoint is empty.");
        }

        if (checkpoint.Format != RunCheckpoint.CurrentFormat)
        {
            throw new FormatException($"The checkpoint has format {checkpoint.Format}; this version reads {RunCheckpoint.CurrentFormat}.");
        }

        return checkpoint;
    }
}
