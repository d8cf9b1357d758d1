namespace GitOps.Core.Ports;

/// <summary>A secret could not be read. The message names the secret URL and what to do, never a value.</summary>
public sealed class SecretResolutionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="secretUrl">The secret URL as written in the manifest.</param>
    /// <param name="message">What went wrong and what to do (must name no value).</param>
    /// <param name="isTransient">True when retrying later may succeed (throttling, outage).</param>
    /// <param name="innerException">The cause, if any.</param>
    public SecretResolutionException(string secretUrl, string message, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        SecretUrl = secretUrl;
        IsTransient = isTransient;
    }

    /// <summary>The secret URL as written in the manifest.</summary>
    public string SecretUrl { get; }

    /// <summary>True when retrying later may succeed.</summary>
    public bool IsTransient { get; }
}
