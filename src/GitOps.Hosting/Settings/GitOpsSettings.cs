using GitOps.Arm;
using GitOps.Core.Alerts;
using GitOps.Core.Apply;
using GitOps.Core.Manifests;
using GitOps.Core.Reconcile;
using GitOps.Git.Source;
using GitOps.Hosting.Alerts;
using Microsoft.Extensions.Configuration;

namespace GitOps.Hosting.Settings;

/// <summary>
/// Everything the reconciler needs from its environment, read the same way under the Functions host (app settings)
/// and in <c>gitops serve</c> (environment variables): <c>AzureWebJobsStorage</c> and <c>GitOps__*</c>.
/// <c>local.settings.sample.json</c> at the repository root documents every setting.
/// </summary>
public sealed record GitOpsSettings
{
    /// <summary>The connection name of the storage account (Functions convention).</summary>
    public const string StorageConnectionName = "AzureWebJobsStorage";

    /// <summary>The blob container holding state, runs, locks and deliveries.</summary>
    public string Container { get; init; } = "gitops";

    /// <summary>The run ledger's table; null: derived from <see cref="Container"/> (<c>gitopsruns</c> for the default).</summary>
    public string? RunTable { get; init; }

    /// <summary>How long runs and delivery records are kept (<c>GitOps__Retention__*</c>).</summary>
    public GitOps.Storage.Retention.RetentionOptions Retention { get; init; } = GitOps.Storage.Retention.RetentionOptions.Default;

    /// <summary>When the retention cleanup runs (NCRONTAB with seconds, UTC). Default daily at 03:17:00.</summary>
    public string RetentionSchedule { get; init; } = DefaultRetentionSchedule;

    /// <summary>The default <see cref="RetentionSchedule"/>.</summary>
    public const string DefaultRetentionSchedule = "0 17 3 * * *";

    /// <summary>The reconcile queue (its poison queue is <c>&lt;name&gt;-poison</c>).</summary>
    public string QueueName { get; init; } = QueueNames.Reconcile;

    /// <summary>The watched repositories.</summary>
    public IReadOnlyList<RepositorySettings> Repositories { get; init; } = [];

    /// <summary>ARM access.</summary>
    public ArmConnectionSettings Arm { get; init; } = new();

    /// <summary>Which Key Vault hosts manifests may name, besides the cloud's vaults.</summary>
    public KeyVaultSettings KeyVault { get; init; } = new();

    /// <summary>Where bare mirrors of the repositories are cached.</summary>
    public string GitCacheRoot { get; init; } = Path.Combine(Path.GetTempPath(), "gitops-git-cache");

    /// <summary>The most bytes one git fetch may receive (<c>GitOps__GitMaxFetchBytes</c>).</summary>
    public long GitMaxFetchBytes { get; init; } = GitSourceOptions.DefaultMaxFetchBytes;

    /// <summary>The size the git cache is trimmed to, least recently used mirrors first (<c>GitOps__GitCacheMaxBytes</c>).</summary>
    public long GitCacheMaxBytes { get; init; } = GitSourceOptions.DefaultMaxCacheBytes;

    /// <summary>
    /// The flat app setting that holds the drift timer's schedule. The Functions host resolves <c>%Name%</c> in a
    /// trigger as a configuration key, and <c>A__B</c> is stored as <c>A:B</c>, so a nested name never resolves there.
    /// </summary>
    public const string DriftScheduleSetting = "GITOPS_DRIFT_SCHEDULE";

    /// <summary>
    /// The flat app setting of the retention timer's schedule: under the Functions host a timer trigger resolves
    /// <c>%GITOPS_RETENTION_SCHEDULE%</c> from it, and a nested name never resolves there (see <see cref="DriftScheduleSetting"/>).
    /// </summary>
    public const string RetentionScheduleSetting = "GITOPS_RETENTION_SCHEDULE";

    /// <summary>The drift timer's NCRONTAB schedule (with seconds); environments' own intervals decide what is due.</summary>
    public string DriftSchedule { get; init; } = "0 */1 * * * *";

    /// <summary>How long a job for a busy (leased) environment waits before it is tried again (<c>GitOps__LeaseBusyDelay</c>).</summary>
    public TimeSpan LeaseBusyDelay { get; init; } = ReconcilerOptions.Default.LeaseBusyDelay;

    /// <summary>The longest wait before a run that ARM throttled runs again, whatever its Retry-After (<c>GitOps__RetryAfterMaximum</c>).</summary>
    public TimeSpan RetryAfterMaximum { get; init; } = ReconcilerOptions.Default.RetryAfterMaximum;

    /// <summary>How long a job may keep waiting for ARM before throttling counts as a failure (<c>GitOps__RetryAfterBudget</c>).</summary>
    public TimeSpan RetryAfterBudget { get; init; } = ReconcilerOptions.Default.RetryAfterBudget;

    /// <summary>
    /// How long one invocation of a run works before it checkpoints and continues in a follow-up job
    /// (<c>GitOps__RunBudget</c>, default 00:05:00, at most <see cref="MaxRunBudget"/>): well under the Functions host's
    /// <c>functionTimeout</c> (30 minutes in host.json), which also has to hold the writes in flight and the record.
    /// </summary>
    public TimeSpan RunBudget { get; init; } = ReconcilerOptions.Default.RunBudget;

    /// <summary>
    /// The longest <see cref="RunBudget"/> accepted: with the writes in flight (<see cref="ReconcilerOptions.RunBudgetGrace"/>,
    /// 2 minutes) and the record it stays under two thirds of host.json's 30-minute <c>functionTimeout</c>.
    /// </summary>
    public static readonly TimeSpan MaxRunBudget = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Whether a push observes only the resources whose declaration changed since the last applied commit, what depends
    /// on them and what is to be deleted (<c>GitOps__TargetedPushes</c>, default true); false reads every declared
    /// resource on every push (<see cref="ReconcilerOptions.TargetedPushes"/>).
    /// </summary>
    public bool TargetedPushes { get; init; } = true;

    /// <summary>
    /// Whether resources the inventory does not know (a first apply, an adoption) are looked for in ARM's list calls
    /// before they are read (<c>GitOps__ListExistence</c>, default true); false reads each with a GET
    /// (<see cref="ApplyOptions.ListExistence"/>).
    /// </summary>
    public bool ListExistence { get; init; } = true;
    /// <summary>How ARM events become drift checks (<c>GitOps__Events__*</c>).</summary>
    public EventSettings Events { get; init; } = new();

    /// <summary>Queue semantics for the standalone listener.</summary>
    public QueueListenerSettings Queue { get; init; } = new();

    /// <summary>The API key named <c>default</c> (<c>GitOps__ApiKey</c>), or null; <see cref="ApiKeys"/> holds it with the named ones.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Every API key (<c>GitOps__ApiKey</c> as <c>default</c>, and <c>GitOps__ApiKeys__&lt;name&gt;</c>). With any, every
    /// <c>/api</c> route needs one in <c>x-api-key</c>; without any, <c>gitops serve</c> listens on loopback only.
    /// </summary>
    public IReadOnlyList<NamedApiKey> ApiKeys { get; init; } = [];

    /// <summary>
    /// True when App Service Authentication is enabled on the Function App (<c>GitOps__AppServiceAuthentication</c>): only
    /// then does the platform strip client-supplied <c>X-MS-CLIENT-PRINCIPAL-*</c> headers, so only then does the api
    /// under the Functions host record the principal they name. <c>gitops serve</c> never reads them.
    /// </summary>
    public bool AppServiceAuthentication { get; init; }

    /// <summary>Where alerts go (<c>GitOps__Alerts__&lt;name&gt;__*</c>); none configured means no alerts are sent.</summary>
    public IReadOnlyList<AlertSinkSettings> Alerts { get; init; } = [];

    /// <summary>Finds a repository by name.</summary>
    public RepositorySettings? FindRepository(string name) =>
        Repositories.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>Reads the settings; throws with every problem listed (names of settings, never secret values).</summary>
    /// <exception cref="InvalidOperationException">Missing or invalid settings.</exception>
    public static GitOpsSettings Load(IConfiguration configuration)
    {
        var problems = new List<string>();
        var settings = Load(configuration, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(Describe(problems));
        }

        return settings;
    }

    /// <summary>The message that lists every settings problem, one per line.</summary>
    internal static string Describe(IEnumerable<string> problems) =>
        "Invalid settings:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p));

    /// <summary>Reads the settings, adding every problem to <paramref name="problems"/> (the result holds defaults where a value was refused).</summary>
    internal static GitOpsSettings Load(IConfiguration configuration, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // An empty app setting means "not set" (portals and templates leave blanks), never an empty value.
        configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(configuration.AsEnumerable().Where(pair => !string.IsNullOrWhiteSpace(pair.Value)))
            .Build();
        var section = configuration.GetSection("GitOps");

        var repositories = new List<RepositorySettings>();
        foreach (var repo in section.GetSection("Repositories").GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string Setting(string key) => $"GitOps__Repositories__{repo.Key}__{key}";
            var url = repo["Url"];
            if (string.IsNullOrWhiteSpace(url))
            {
                problems.Add($"{Setting("Url")} is missing: give the clone URL of repository '{repo.Key}'.");
                continue;
            }

            if (GitRemoteUrl.Validate(url) is { } urlProblem)
            {
                problems.Add($"{Setting("Url")}: {urlProblem}");
                continue;
            }

            foreach (var ssh in new[] { "SshKeyPath", "SshKnownHostsPath" }.Where(key => repo[key] is not null))
            {
                problems.Add($"{Setting(ssh)} is set, but SSH is not supported; use the repository's HTTPS URL and {Setting("Token")}.");
            }

            Uri? pullRequestApiUrl = null;
            if (repo["PullRequestApiUrl"] is { } apiText
                && (!Uri.TryCreate(apiText, UriKind.Absolute, out pullRequestApiUrl) || pullRequestApiUrl.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(pullRequestApiUrl.UserInfo) || pullRequestApiUrl.Query.Length > 0))
            {
                problems.Add($"{Setting("PullRequestApiUrl")} is not an absolute http(s) URL without user info or query, such as https://api.github.com.");
                pullRequestApiUrl = null;
            }

            // Each secret is resolved on its own so that every unresolvable reference is reported, not only the first.
            repositories.Add(new RepositorySettings
            {
                Name = repo.Key,
                Url = url,
                DefaultBranch = repo["DefaultBranch"] ?? "main",
                Token = SecretValueOrProblem(repo["Token"], Setting("Token"), problems),
                TokenScheme = repo["TokenScheme"] ?? "Basic",
                TokenUserName = repo["TokenUserName"],
                WebhookSecret = SecretValueOrProblem(repo["WebhookSecret"], Setting("WebhookSecret"), problems),
                WebhookSigningToken = SecretValueOrProblem(repo["WebhookSigningToken"], Setting("WebhookSigningToken"), problems),
                WebhookUser = repo["WebhookUser"],
                FullName = repo["FullName"],
                PullRequestToken = SecretValueOrProblem(repo["PullRequestToken"], Setting("PullRequestToken"), problems),
                PullRequestApiUrl = pullRequestApiUrl,
                PullRequestIdentity = repo["PullRequestIdentity"],
            });
        }

        ArmConnectionSettings arm = new();
        try
        {
            var armSection = section.GetSection("Arm");
            arm = new ArmConnectionSettings
            {
                Cloud = armSection["Cloud"] ?? "public",
                Endpoint = armSection["Endpoint"],
                CaCertificatePath = armSection["CaCertificatePath"],
                Token = SecretValue.Resolve(armSection["Token"], "GitOps__Arm__Token"),
            };
        }
        catch (InvalidOperationException error)
        {
            problems.Add(error.Message);
        }

        var keyVault = LoadKeyVault(section.GetSection("KeyVault"), problems);
        var alerts = LoadAlerts(section.GetSection("Alerts"), problems);
        var apiKey = SecretValueOrProblem(section["ApiKey"], "GitOps__ApiKey", problems);
        var apiKeys = LoadApiKeys(apiKey, section.GetSection("ApiKeys"), problems);
        var queue = section.GetSection("Queue");
        var defaults = new QueueListenerSettings();
        var events = section.GetSection("Events");
        var settings = new GitOpsSettings
        {
            Container = section["Container"] ?? "gitops",
            QueueName = section["QueueName"] ?? QueueNames.Reconcile,
            RunTable = section["RunTable"],
            Retention = LoadRetention(section.GetSection("Retention"), problems),
            RetentionSchedule = configuration[RetentionScheduleSetting] ?? section["RetentionSchedule"] ?? DefaultRetentionSchedule,
            Repositories = repositories,
            Arm = arm,
            KeyVault = keyVault,
            Alerts = alerts,
            GitCacheRoot = section["GitCacheRoot"] ?? Path.Combine(Path.GetTempPath(), "gitops-git-cache"),
            GitMaxFetchBytes = Bytes(section, "GitMaxFetchBytes", GitSourceOptions.DefaultMaxFetchBytes, problems),
            GitCacheMaxBytes = Bytes(section, "GitCacheMaxBytes", GitSourceOptions.DefaultMaxCacheBytes, problems),
            DriftSchedule = configuration[DriftScheduleSetting] ?? section["DriftSchedule"] ?? "0 */1 * * * *",
            ApiKey = apiKey,
            ApiKeys = apiKeys,
            AppServiceAuthentication = Flag(section, "AppServiceAuthentication", fallback: false, problems),
            LeaseBusyDelay = Time(section, "LeaseBusyDelay", ReconcilerOptions.Default.LeaseBusyDelay, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), problems, "GitOps__"),
            RetryAfterMaximum = Time(section, "RetryAfterMaximum", ReconcilerOptions.Default.RetryAfterMaximum, TimeSpan.FromSeconds(1), MaxQueueVisibility, problems, "GitOps__"),
            RetryAfterBudget = Time(section, "RetryAfterBudget", ReconcilerOptions.Default.RetryAfterBudget, TimeSpan.Zero, TimeSpan.FromDays(30), problems, "GitOps__"),
            RunBudget = Time(section, "RunBudget", ReconcilerOptions.Default.RunBudget, TimeSpan.FromSeconds(1), MaxRunBudget, problems, "GitOps__"),
            TargetedPushes = Flag(section, "TargetedPushes", fallback: true, problems),
            ListExistence = Flag(section, "ListExistence", fallback: true, problems),
            Events = new EventSettings
            {
                QueueName = events["QueueName"] ?? QueueNames.Events,
                OwnPrincipals = OwnPrincipals.Combine(
                    (events["OwnPrincipals"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    configuration[OwnPrincipals.AzureClientIdSetting],
                    arm.Token),
                CoalesceWindow = Time(events, "CoalesceWindow", EventSettings.DefaultCoalesceWindow, TimeSpan.Zero, TimeSpan.FromMinutes(5), problems, "GitOps__Events__"),
                MaxTargetedResources = Int(events, "MaxTargetedResources", 1000, 1, 100_000, problems, "GitOps__Events__"),
            },
            Queue = new QueueListenerSettings
            {
                BatchSize = Int(queue, "BatchSize", defaults.BatchSize, 1, 32, problems),
                NewBatchThreshold = Int(queue, "NewBatchThreshold", defaults.NewBatchThreshold, 0, 1000, problems),
                MaxDequeueCount = Int(queue, "MaxDequeueCount", defaults.MaxDequeueCount, 1, 100, problems),
                VisibilityTimeout = Time(queue, "VisibilityTimeout", defaults.VisibilityTimeout, TimeSpan.Zero, MaxQueueVisibility, problems),

                // A received message's invisibility is sent in whole seconds and must be at least one.
                ProcessingTimeout = Time(queue, "ProcessingTimeout", defaults.ProcessingTimeout, TimeSpan.FromSeconds(1), MaxQueueVisibility, problems),

                // The Functions host's floor: anything shorter polls an idle queue in a tight loop.
                MaxPollingInterval = Time(queue, "MaxPollingInterval", defaults.MaxPollingInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), problems),
            },
        };

        foreach (var (flat, nested, schedule) in new[] { (DriftScheduleSetting, "GitOps__DriftSchedule", settings.DriftSchedule), (RetentionScheduleSetting, "GitOps__RetentionSchedule", settings.RetentionSchedule) })
        {
            if (NCrontab.CrontabSchedule.TryParse(schedule, new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true }) is null)
            {
                var name = configuration[flat] is null ? nested : flat;
                problems.Add($"{name} '{schedule}' is not an NCRONTAB expression with seconds, e.g. '0 */5 * * * *'.");
            }
        }

        if (settings.RunTable is { } table && (table.Length is < 3 or > 63 || !char.IsAsciiLetter(table[0]) || !table.All(char.IsAsciiLetterOrDigit)))
        {
            problems.Add($"GitOps__RunTable '{table}' is not a table name: use 3-63 letters and digits, starting with a letter.");
        }

        return settings;
    }

    /// <summary>The longest a queue message may stay invisible (the service's limit).</summary>
    private static readonly TimeSpan MaxQueueVisibility = TimeSpan.FromDays(7);

    private static KeyVaultSettings LoadKeyVault(IConfigurationSection keyVaultSection, List<string> problems)
    {
        var suffixes = (keyVaultSection["AllowedHostSuffixes"] ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var suffix in suffixes)
        {
            try
            {
                KeyVaultHostSuffix.Parse(suffix);
            }
            catch (ArgumentException error)
            {
                problems.Add($"GitOps__KeyVault__AllowedHostSuffixes: {error.Message}");
            }
        }

        return new KeyVaultSettings { AllowedHostSuffixes = suffixes };
    }

    private static List<AlertSinkSettings> LoadAlerts(IConfigurationSection section, List<string> problems)
    {
        var sinks = new List<AlertSinkSettings>();
        foreach (var alert in section.GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            string Setting(string key) => $"GitOps__Alerts__{alert.Key}__{key}";
            var typeText = alert["Type"] ?? "webhook";
            if (!Enum.TryParse<AlertSinkType>(typeText, ignoreCase: true, out var type) || !Enum.IsDefined(type) || typeText.Any(char.IsDigit))
            {
                problems.Add($"{Setting("Type")} is '{typeText}'; expected webhook, teams or slack.");
                continue;
            }

            var url = SecretValueOrProblem(alert["Url"], Setting("Url"), problems);
            if (url is null)
            {
                if (alert["Url"] is null)
                {
                    problems.Add($"{Setting("Url")} is missing: give the incoming-webhook URL of alert sink '{alert.Key}' (a reference such as env:NAME, since the URL is its credential).");
                }

                continue;
            }

            // The URL is a credential: the problem names the setting only.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                problems.Add($"{Setting("Url")} is not an absolute http(s) URL.");
                continue;
            }

            var kinds = new List<AlertKind>();
            foreach (var name in (alert["Kinds"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (Enum.TryParse<AlertKind>(name, ignoreCase: true, out var kind) && Enum.IsDefined(kind) && !name.Any(char.IsDigit))
                {
                    kinds.Add(kind);
                }
                else
                {
                    problems.Add($"{Setting("Kinds")} names '{name}'; expected a comma-separated list of {string.Join(", ", Enum.GetNames<AlertKind>())}.");
                }
            }

            sinks.Add(new AlertSinkSettings { Name = alert.Key, Type = type, Url = uri, Kinds = kinds });
        }

        return sinks;
    }

    private static List<NamedApiKey> LoadApiKeys(string? defaultKey, IConfigurationSection section, List<string> problems)
    {
        var keys = new List<NamedApiKey>();
        if (defaultKey is not null)
        {
            keys.Add(new NamedApiKey(NamedApiKey.DefaultName, defaultKey));
        }

        foreach (var entry in section.GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            // The name becomes the recorded actor: keep it to plain characters so it reads the same everywhere.
            if (!EnvironmentCatalog.IsPlainName(entry.Key))
            {
                problems.Add($"GitOps__ApiKeys__{entry.Key[..Math.Min(entry.Key.Length, 40)]}: a key name is 1-{EnvironmentCatalog.MaxNameLength} letters, digits, '.', '_' or '-'.");
                continue;
            }

            if (keys.Any(k => string.Equals(k.Name, entry.Key, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"GitOps__ApiKeys__{entry.Key} repeats the name of another key (GitOps__ApiKey is named '{NamedApiKey.DefaultName}').");
                continue;
            }

            if (SecretValueOrProblem(entry.Value, $"GitOps__ApiKeys__{entry.Key}", problems) is { } value)
            {
                keys.Add(new NamedApiKey(entry.Key, value));
            }
        }

        return keys;
    }

    private static string? SecretValueOrProblem(string? value, string name, List<string> problems)
    {
        try
        {
            return SecretValue.Resolve(value, name);
        }
        catch (InvalidOperationException error)
        {
            problems.Add(error.Message);
            return null;
        }
    }

    private static GitOps.Storage.Retention.RetentionOptions LoadRetention(IConfigurationSection retention, List<string> problems)
    {
        var defaults = GitOps.Storage.Retention.RetentionOptions.Default;
        const string Prefix = "GitOps__Retention__";
        return new GitOps.Storage.Retention.RetentionOptions
        {
            MaxRunAge = Time(retention, "MaxRunAge", defaults.MaxRunAge, TimeSpan.FromHours(1), TimeSpan.FromDays(3650), problems, Prefix),
            MaxRunsPerEnvironment = Int(retention, "MaxRunsPerEnvironment", defaults.MaxRunsPerEnvironment, 1, 100_000, problems, Prefix),

            // Shorter than a day would forget deliveries a git host may still redeliver.
            DeliveryMaxAge = Time(retention, "DeliveryMaxAge", defaults.DeliveryMaxAge, TimeSpan.FromDays(1), TimeSpan.FromDays(3650), problems, Prefix),
            PreviewMaxAge = Time(retention, "PreviewMaxAge", defaults.PreviewMaxAge, TimeSpan.FromDays(1), TimeSpan.FromDays(3650), problems, Prefix),
            MaxDeletesPerPass = Int(retention, "MaxDeletesPerPass", defaults.MaxDeletesPerPass, 1, 100_000, problems, Prefix),
        };
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max, List<string> problems, string prefix = "GitOps__Queue__")
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add($"{prefix}{key} is '{text}'; expected a whole number from {min} to {max}.");
        return fallback;
    }

    private static bool Flag(IConfigurationSection section, string key, bool fallback, List<string> problems)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (bool.TryParse(text.Trim(), out var value))
        {
            return value;
        }

        problems.Add($"GitOps__{key} is '{text}'; expected true or false.");
        return fallback;
    }

    private static long Bytes(IConfigurationSection section, string key, long fallback, List<string> problems)
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 1024 * 1024)
        {
            return value;
        }

        problems.Add($"GitOps__{key} is '{text}'; expected a number of bytes, at least 1048576 (1 MiB).");
        return fallback;
    }

    private static TimeSpan Time(IConfigurationSection section, string key, TimeSpan fallback, TimeSpan min, TimeSpan max, List<string> problems, string prefix = "GitOps__Queue__")
    {
        var text = section[key];
        if (text is null)
        {
            return fallback;
        }

        if (TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add($"{prefix}{key} is '{text}'; expected a time span from {min:c} to {max:c}, such as 00:00:30.");
        return fallback;
    }
}
