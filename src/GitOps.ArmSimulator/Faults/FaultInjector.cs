using System.Text.RegularExpressions;

namespace GitOps.ArmSimulator.Faults;

/// <summary>A fault chosen for a request: answer with this instead of processing it.</summary>
internal sealed record FaultDecision(int StatusCode, string ErrorCode, string Message, TimeSpan? RetryAfter, TimeSpan Latency);

/// <summary>Matches requests against fault rules and the global fault rate, drawing from one seeded random source.</summary>
internal sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<ActiveRule> _rules = [];
    private readonly ArmSimulatorOptions _options;
    private Random _random;

    public FaultInjector(ArmSimulatorOptions options)
    {
        _options = options;
        _random = CreateRandom();
        Reset();
    }

    public void Add(ArmFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.StatusCode is < 400 or > 599)
        {
            throw new ArgumentException($"Fault rule status code {rule.StatusCode} is not an error status (400-599).", nameof(rule));
        }

        if (rule.Probability is < 0 or > 1 || double.IsNaN(rule.Probability))
        {
            throw new ArgumentException($"Fault rule probability {rule.Probability} must be between 0 and 1.", nameof(rule));
        }

        lock (_gate)
        {
            _rules.Add(new ActiveRule(rule, Glob(rule.PathPattern), rule.Count));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _random = CreateRandom();
        }

        foreach (var rule in _options.Faults)
        {
            Add(rule);
        }
    }

    public FaultDecision? Match(string method, string path)
    {
        lock (_gate)
        {
            foreach (var active in _rules)
            {
                var rule = active.Rule;
                if (active.Remaining is <= 0
                    || (rule.Method is not null && !string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                    || (active.Pattern is not null && !active.Pattern.IsMatch(path)))
                {
                    continue;
                }

                if (rule.Probability < 1 && _random.NextDouble() >= rule.Probability)
                {
                    continue;
                }

                if (active.Remaining is not null)
                {
                    active.Remaining--;
                }

                var code = rule.ErrorCode ?? DefaultCode(rule.StatusCode);
                return new FaultDecision(rule.StatusCode, code, rule.Message ?? $"Injected fault: {code} ({rule.StatusCode}).",
                    rule.RetryAfter, rule.Latency);
            }

            if (_options.FaultRate > 0 && _options.FaultRateStatusCodes.Count > 0 && _random.NextDouble() < _options.FaultRate)
            {
                var status = _options.FaultRateStatusCodes[_random.Next(_options.FaultRateStatusCodes.Count)];
                var code = DefaultCode(status);
                return new FaultDecision(status, code, $"Injected fault (fault rate): {code} ({status}).",
                    status is 429 or 503 ? _options.RetryAfter : null, TimeSpan.Zero);
            }

            return null;
        }
    }

    public static string DefaultCode(int status) => status switch
    {
        400 => "BadRequest",
        404 => "NotFound",
        409 => "Conflict",
        412 => "PreconditionFailed",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "InjectedFault",
    };

    private Random CreateRandom() => _options.RandomSeed is { } seed ? new Random(seed) : new Random();

    private static Regex? Glob(string? pattern) => pattern is null
        ? null
        : new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private sealed class ActiveRule(ArmFaultRule rule, Regex? pattern, int? remaining)
    {
        public ArmFaultRule Rule { get; } = rule;

        public Regex? Pattern { get; } = pattern;

        public int? Remaining { get; set; } = remaining;
    }
}
