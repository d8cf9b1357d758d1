namespace GitOps.ArmSimulator;

/// <summary>Settings for <see cref="ArmSimulatorServer.StartAsync"/>.</summary>
public sealed class ArmSimulatorOptions
{
    /// <summary>The TCP port to listen on; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The IP address to listen on (<c>localhost</c> means 127.0.0.1). Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Delay added before every ARM request is answered.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Token-bucket throttling settings.</summary>
    public ArmThrottlingOptions Throttling { get; set; } = new();

    /// <summary>A folder of <c>*.json</c> ARM GET bodies (each with an <c>id</c>) loaded at start and on reset.</summary>
    public string? SeedDirectory { get; set; }

    /// <summary>When set, the certificate is written there as PEM so that other processes can trust it.</summary>
    public string? CertificateOutputPath { get; set; }

    /// <summary>The async style per resource type (e.g. <c>Microsoft.Storage/storageAccounts</c>, case-insensitive); types not listed use <see cref="DefaultAsyncStyle"/>.</summary>
    public IDictionary<string, ArmAsyncStyle> AsyncStyles { get; } = new Dictionary<string, ArmAsyncStyle>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The async style of types not in <see cref="AsyncStyles"/>. Default <see cref="ArmAsyncStyle.Synchronous"/>.</summary>
    public ArmAsyncStyle DefaultAsyncStyle { get; set; } = ArmAsyncStyle.Synchronous;

    /// <summary>How many polls (status URL, Location URL or GET of the resource) report the operation as running before it ends. Default 1.</summary>
    public int AsyncPollCount { get; set; } = 1;

    /// <summary>The <c>Retry-After</c> sent with async answers, in whole seconds. Default zero, so tests stay fast.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.Zero;

    /// <summary>The error code of operations that end in the <see cref="ArmAsyncStyle.Failed"/> style. Default <c>InternalOperationError</c>.</summary>
    public string FailedOperationErrorCode { get; set; } = "InternalOperationError";

    /// <summary>Location echo per resource type, overriding the built-in table. Keys are a type or a namespace wildcard such as <c>Microsoft.Web/*</c>.</summary>
    public IDictionary<string, ArmLocationStyle> LocationStyles { get; } = new Dictionary<string, ArmLocationStyle>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Fault rules active from the start (and again after a reset).</summary>
    public IList<ArmFaultRule> Faults { get; } = new List<ArmFaultRule>();

    /// <summary>The share (0 to 1) of ARM requests answered with a random status from <see cref="FaultRateStatusCodes"/>, for chaos tests.</summary>
    public double FaultRate { get; set; }

    /// <summary>The statuses <see cref="FaultRate"/> draws from. Default 429, 500 and 503.</summary>
    public IList<int> FaultRateStatusCodes { get; } = new List<int> { 429, 500, 503 };

    /// <summary>The seed of the random source behind fault probabilities, for reproducible runs; <see langword="null"/> seeds from the clock.</summary>
    public int? RandomSeed { get; set; }

    /// <summary>
    /// The most items a list page holds before it ends with a <c>nextLink</c> (ARM's pages are typically 1,000 or
    /// fewer); a request's <c>$top</c> can ask for fewer.
    /// </summary>
    public int ListPageSize { get; set; } = 1000;

    /// <summary>The most request-log entries kept; the oldest are dropped first. Default 10,000.</summary>
    public int MaxRequestLogEntries { get; set; } = 10_000;

    /// <summary>
    /// Where the events of successful writes and deletes go, for subscriptions without their own destination
    /// (<see cref="ArmSimulatorState.SetEventDestination"/>); null (the default) delivers none.
    /// </summary>
    public Events.ArmEventDestination? Events { get; set; }

    /// <summary>Who out-of-band changes (<see cref="ArmSimulatorState.SetOutOfBand"/>, the control API) are attributed to by default.</summary>
    public string OutOfBandUser { get; set; } = "someone-else@example.com";

    /// <summary>The clock behind throttling, timestamps and systemData. Tests pass a manual clock to make bucket refills exact.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
