using System.Collections.Concurrent;
using GitOps.ArmSimulator.AsyncOperations;
using GitOps.ArmSimulator.Events;
using GitOps.ArmSimulator.Faults;
using GitOps.ArmSimulator.Logging;
using GitOps.ArmSimulator.Normalization;
using GitOps.ArmSimulator.Providers;
using GitOps.ArmSimulator.Resources;
using GitOps.ArmSimulator.Throttling;

namespace GitOps.ArmSimulator;

/// <summary>The simulator's parts, shared by the HTTP pipeline, the control API and <see cref="ArmSimulatorState"/>.</summary>
internal sealed class ArmSimulatorEngine
{
    private readonly ConcurrentDictionary<string, ArmAsyncStyle> _asyncStyles = new(StringComparer.OrdinalIgnoreCase);

    public ArmSimulatorEngine(ArmSimulatorOptions options)
    {
        Options = options;
        Store = new ResourceStore();
        Operations = new AsyncOperationEngine(Store, options);
        Normalizer = new ResourceNormalizer(options.LocationStyles);
        Providers = new ProviderCatalog();
        Throttler = new Throttler(options.Throttling, options.TimeProvider);
        Faults = new FaultInjector(options);
        Log = new RequestLog(options.MaxRequestLogEntries);
        Seeds = new SeedLoader(this);
        Events = new ArmEventPublisher(options);
        ResetAsyncStyles();
    }

    public ArmSimulatorOptions Options { get; }

    public TimeProvider Time => Options.TimeProvider;

    public ResourceStore Store { get; }

    public AsyncOperationEngine Operations { get; }

    public ResourceNormalizer Normalizer { get; }

    public ProviderCatalog Providers { get; }

    public Throttler Throttler { get; }

    public FaultInjector Faults { get; }

    public RequestLog Log { get; }

    public SeedLoader Seeds { get; }

    public ArmEventPublisher Events { get; }

    public ArmAsyncStyle AsyncStyleOf(string type) =>
        _asyncStyles.TryGetValue(type, out var style) ? style : Options.DefaultAsyncStyle;

    public void SetAsyncStyle(string type, ArmAsyncStyle style) => _asyncStyles[type] = style;

    /// <summary>Back to the state right after start: options' styles, faults and seeds; empty log; full buckets.</summary>
    public void Reset()
    {
        lock (Store.Gate)
        {
            Store.Clear();
        }

        ResetAsyncStyles();
        Faults.Reset();
        Throttler.Reset();
        Providers.Reset();
        Log.Clear();
        Events.Reset();
        if (Options.SeedDirectory is { } directory)
        {
            Seeds.LoadDirectory(directory);
        }
    }

    private void ResetAsyncStyles()
    {
        _asyncStyles.Clear();
        foreach (var (type, style) in Options.AsyncStyles)
        {
            _asyncStyles[type] = style;
        }
    }
}
