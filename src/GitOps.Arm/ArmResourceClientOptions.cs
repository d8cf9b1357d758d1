using Azure.Core;
using Azure.Core.Pipeline;

namespace GitOps.Arm;

/// <summary>
/// Settings for <see cref="ArmResourceClient"/>. The inherited <see cref="ClientOptions.Retry"/> settings
/// (<c>MaxRetries</c>, <c>Delay</c>, <c>MaxDelay</c>, <c>NetworkTimeout</c>) drive the client's own retry loop, which
/// classifies ARM error codes and honours <c>Retry-After</c>; the Azure.Core pipeline itself makes a single attempt per
/// send (see <see cref="ClientOptions.RetryPolicy"/>, set by this constructor) so that no 429 goes unseen.
/// </summary>
public sealed class ArmResourceClientOptions : ClientOptions
{
    /// <summary>Creates options with the defaults below and the public cloud.</summary>
    public ArmResourceClientOptions()
    {
        RetryPolicy = new SingleAttemptPolicy();
    }

    /// <summary>The ARM endpoint and token audience. Defaults to <see cref="ArmCloud.Public"/>.</summary>
    public ArmCloud Cloud { get; set; } = ArmCloud.Public;

    /// <summary>
    /// PEM text of the one CA certificate (or several) to trust for the ARM endpoint, e.g. a local simulator's. When
    /// set, the system trust store is not used for this client: the server chain must end at one of these
    /// certificates (<c>X509ChainTrustMode.CustomRootTrust</c>); host names are still checked. Cannot be combined with
    /// a custom <see cref="ClientOptions.Transport"/> (Azure.Core would silently use that transport's trust instead).
    /// </summary>
    public string? CaCertificatePem { get; set; }

    /// <summary>How long to wait between polls when ARM sends no <c>Retry-After</c>. Default 5 s.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between polls, even when <c>Retry-After</c> asks for more. Default 60 s.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a single GET, PUT or DELETE may take, polling included. Default 30 min.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a non-standard, non-terminal state (Service Bus's <c>Created</c>) may last before the client confirms
    /// the resource with a GET and treats the operation as done. Default 2 min.
    /// </summary>
    public TimeSpan NonStandardStateTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The per-subscription throttle budget.</summary>
    public ThrottleBudgetOptions ThrottleBudget { get; } = new();

    /// <summary>The clock for delays and deadlines; tests substitute a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Cloud, nameof(Cloud));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        RequirePositive(PollInterval, nameof(PollInterval));
        RequirePositive(MaxPollInterval, nameof(MaxPollInterval));
        RequirePositive(OperationTimeout, nameof(OperationTimeout));
        RequirePositive(NonStandardStateTimeout, nameof(NonStandardStateTimeout));
        if (Retry.MaxRetries < 0)
        {
            throw new ArgumentException("Retry.MaxRetries must not be negative.");
        }

        ThrottleBudget.Validate();
        if (CaCertificatePem is not null && !ReferenceEquals(Transport, HttpClientTransport.Shared))
        {
            throw new ArgumentException(
                "CaCertificatePem (--arm-ca-cert) cannot be combined with a custom Transport: configure the trust on that transport instead.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be greater than zero (got {value}).", name);
        }
    }
}
