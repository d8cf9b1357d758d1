using System.Globalization;
using System.Text.RegularExpressions;
using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;
using GitOps.Core.Runs;

namespace GitOps.Core.Manifests.Config;

/// <summary>
/// Reads the environments of <c>gitops.yaml</c>, reporting every problem with its location. An environment with
/// errors is left out of the result; the others are still returned so every error of the file shows in one run.
/// </summary>
internal sealed partial class ConfigFileReader(string file, List<Diagnostic> diagnostics)
{
    /// <summary>The only format version so far.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Who a suspension declared in git is attributed to.</summary>
    public const string SuspendedBy = "gitops.yaml";

    private static readonly string[] TopFields = ["version", "environments"];
    private static readonly string[] EnvironmentFields =
        ["name", "path", "branch", "subscriptionId", "subscriptions", "managementGroups", "tenantLevel", "drift", "prune", "suspended", "variables", "schema", "windows"];

    /// <summary><c>schema:</c> of an environment: how catalogue findings (GO1017–GO1020) count.</summary>
    private static readonly Dictionary<string, bool> SchemaModes = new(StringComparer.Ordinal)
    {
        ["warn"] = false,
        ["strict"] = true,
    };
    private static readonly string[] DriftFields = ["interval", "mode"];
    private static readonly string[] PruneFields = ["enabled", "deleteBudget"];
    private static readonly string[] SuspendedFields = ["reason", "until"];

    private static readonly Dictionary<string, DriftMode> DriftModes = new(StringComparer.Ordinal)
    {
        ["correct"] = DriftMode.Correct,
        ["detect"] = DriftMode.Detect,
    };

    private readonly MapReader _reader = new(diagnostics);

    /// <summary>Reads the environments from the parsed documents of the file.</summary>
    public IReadOnlyList<EnvironmentDefinition> Read(IReadOnlyList<YamlDocument> documents)
    {
        var content = documents.Where(d => !(d.Root is YamlScalar s && YamlCoreSchema.IsNull(s))).ToList();
        if (content.Count == 0)
        {
            Error(DiagnosticCodes.MissingField, new SourceLocation(file, 1, 1), $"'{file}' declares no environments.",
                "Add 'environments:' with at least one entry (name and path).");
            return [];
        }

        foreach (var extra in content.Skip(1))
        {
            Error(DiagnosticCodes.InvalidValue, extra.Location, $"'{file}' holds more than one YAML document.",
                "Keep a single document: remove the '---' separators.");
        }

        if (_reader.ExpectMap(content[0].Root, file, "version: 1 and environments: [...]") is not { } root)
        {
            return [];
        }

        _reader.RejectUnknownKeys(root, TopFields, file);
        if (root.TryGet("version", out _, out var version))
        {
            ReadVersion(version);
        }

        if (!root.TryGet("environments", out var environmentsKey, out var environmentsNode))
        {
            Error(DiagnosticCodes.MissingField, root.Location, $"'{file}' has no 'environments' list.",
                "Add 'environments:' with at least one entry (name and path).");
            return [];
        }

        if (_reader.ExpectList(environmentsNode, "environments", "a list of '- name: ..., path: ...' entries") is not { } list)
        {
            return [];
        }

        if (list.Items.Count == 0)
        {
            Error(DiagnosticCodes.MissingField, environmentsKey.Location, "'environments' is empty.",
                "Add at least one environment (name and path).");
        }

        var environments = new List<EnvironmentDefinition>();
        var names = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (ReadEnvironment(item) is not { } environment)
            {
                continue;
            }

            if (names.TryGetValue(environment.Name, out var first))
            {
                Error(DiagnosticCodes.InvalidValue, environment.Location,
                    $"Environment name '{environment.Name}' is used twice; it is first declared at {first}.",
                    "Give every environment a unique name.");
                continue;
            }

            names[environment.Name] = environment.Location;
            environments.Add(environment);
        }

        return environments;
    }

    private void ReadVersion(YamlNode node)
    {
        if (_reader.ExpectScalar(node, "version", "version: 1") is { } scalar && scalar.Value != CurrentVersion.ToString(CultureInfo.InvariantCulture))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"version '{scalar.Value}' is not supported.",
                $"Write version: {CurrentVersion} (or leave it out).");
        }
    }

    private EnvironmentDefinition? ReadEnvironment(YamlNode node)
    {
        if (_reader.ExpectMap(node, "environments[]", "'- name: prod' followed by 'path: envs/prod'") is not { } map)
        {
            return null;
        }

        var mark = diagnostics.Count;
        _reader.RejectUnknownKeys(map, EnvironmentFields, "an environment");

        var name = ReadName(map);
        var path = ReadPath(map);
        var definition = new EnvironmentDefinition
        {
            Name = name ?? string.Empty,
            Path = path ?? string.Empty,
            Location = map.Location,
        };

        if (map.TryGet("branch", out _, out var branch))
        {
            definition = definition with { Branch = ReadBranch(branch) ?? definition.Branch };
        }

        if (map.TryGet("subscriptionId", out _, out var subscription) && ReadSubscription(subscription) is { } subscriptionId)
        {
            definition = definition with { SubscriptionId = subscriptionId };
        }

        if (map.TryGet("subscriptions", out _, out var subscriptions) && ReadSubscriptions(subscriptions) is { } additional)
        {
            definition = definition with { AdditionalSubscriptions = additional };
        }

        if (map.TryGet("managementGroups", out _, out var groups) && ReadManagementGroups(groups) is { } managementGroups)
        {
            definition = definition with { ManagementGroups = managementGroups };
        }

        if (map.TryGet("tenantLevel", out _, out var tenantLevel) && _reader.ReadBool(tenantLevel, "tenantLevel") is { } tenant)
        {
            definition = definition with { AllowsTenantLevel = tenant };
        }

        if (map.TryGet("drift", out _, out var drift))
        {
            definition = ReadDrift(drift, definition);
        }

        if (map.TryGet("prune", out _, out var prune))
        {
            definition = definition with { Prune = ReadPrune(prune) ?? definition.Prune };
        }

        if (map.TryGet("suspended", out _, out var suspended))
        {
            definition = definition with { Suspended = ReadSuspended(suspended) };
        }

        if (map.TryGet("schema", out _, out var schema) && _reader.ReadEnum(schema, "schema", SchemaModes) is { } strict)
        {
            definition = definition with { StrictSchema = strict };
        }

        if (map.TryGet("variables", out _, out var variables))
        {
            definition = definition with { Variables = ReadVariables(variables) };
        }

        if (map.TryGet("windows", out _, out var windows))
        {
            definition = definition with { SyncWindows = new SyncWindowReader(file, diagnostics).Read(windows) };
        }

        return !HasErrorsSince(mark) && name is not null && path is not null ? definition : null;
    }

    private string? ReadName(YamlMap map)
    {
        if (!map.TryGet("name", out _, out var node))
        {
            Error(DiagnosticCodes.MissingField, map.Location, "The environment has no 'name'.",
                "Add name: <lowercase letters, digits and '-'>, e.g. name: prod.");
            return null;
        }

        if (_reader.ExpectScalar(node, "name", "name: prod") is not { } scalar)
        {
            return null;
        }

        if (!EnvironmentKeys.IsValidName(scalar.Value))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"Environment name '{scalar.Value}' is not valid.",
                $"Use {EnvironmentKeys.NameRule} (it names blobs and queues).");
            return null;
        }

        return scalar.Value;
    }

    private string? ReadPath(YamlMap map)
    {
        if (!map.TryGet("path", out _, out var node))
        {
            Error(DiagnosticCodes.MissingField, map.Location, "The environment has no 'path'.",
                "Add path: <folder of its manifests, relative to the repository root>, e.g. path: envs/prod.");
            return null;
        }

        if (_reader.ExpectScalar(node, "path", "path: envs/prod") is not { } scalar)
        {
            return null;
        }

        var normalized = RepositoryPaths.Normalize(scalar.Value, out var error);
        if (normalized is null)
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"The environment {error}.",
                "Write a folder inside the repository, relative to its root, e.g. envs/prod.");
        }

        return normalized;
    }

    private string? ReadBranch(YamlNode node)
    {
        if (_reader.ExpectScalar(node, "branch", "branch: main") is not { } scalar)
        {
            return null;
        }

        var branch = scalar.Value.StartsWith("refs/heads/", StringComparison.Ordinal) ? scalar.Value["refs/heads/".Length..] : scalar.Value;
        if (!BranchPattern().IsMatch(branch) || branch.Contains("..", StringComparison.Ordinal)
            || branch.EndsWith('/') || branch.EndsWith(".lock", StringComparison.Ordinal) || branch.Contains("//", StringComparison.Ordinal))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"'{scalar.Value}' is not a valid git branch name.",
                "Write a branch name such as main or release/1.0 (no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\').");
            return null;
        }

        return branch;
    }

    private string? ReadSubscription(YamlNode node, string field = "subscriptionId")
    {
        if (_reader.ExpectScalar(node, field, "subscriptionId: 00000000-0000-0000-0000-000000000000") is not { } scalar)
        {
            return null;
        }

        if (!Guid.TryParseExact(scalar.Value, "D", out _))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"{field} '{scalar.Value}' is not a GUID.",
                "Write the subscription id as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (az account show --query id).");
            return null;
        }

        return scalar.Value;
    }

    private List<string>? ReadSubscriptions(YamlNode node)
    {
        if (_reader.ExpectList(node, "subscriptions", "subscriptions: [ 00000000-0000-0000-0000-000000000000 ]") is not { } list)
        {
            return null;
        }

        var subscriptions = new List<string>();
        foreach (var item in list.Items)
        {
            if (ReadSubscription(item, "subscriptions[]") is { } subscription)
            {
                subscriptions.Add(subscription);
            }
        }

        return subscriptions;
    }

    private List<string>? ReadManagementGroups(YamlNode node)
    {
        if (_reader.ExpectList(node, "managementGroups", "managementGroups: [ mg-platform ]") is not { } list)
        {
            return null;
        }

        var groups = new List<string>();
        foreach (var item in list.Items)
        {
            if (_reader.ExpectScalar(item, "managementGroups[]", "- mg-platform") is not { } scalar)
            {
                continue;
            }

            // The name becomes a path segment of every id placed on the group, so it must be one ARM accepts.
            if (NameRules.CheckManagementGroup(scalar.Value) is { } problem)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidValue, scalar.Location,
                    $"managementGroups: '{scalar.Value}' {problem}.",
                    "Write the management group's name (its id's last segment), e.g. mg-platform, not its display name or id."));
                continue;
            }

            groups.Add(scalar.Value);
        }

        return groups;
    }

    private EnvironmentDefinition ReadDrift(YamlNode node, EnvironmentDefinition definition)
    {
        if (_reader.ExpectMap(node, "drift", "drift: { interval: 30m, mode: correct }") is not { } map)
        {
            return definition;
        }

        _reader.RejectUnknownKeys(map, DriftFields, "drift");
        if (map.TryGet("interval", out _, out var intervalNode)
            && _reader.ExpectScalar(intervalNode, "drift.interval", "interval: 30m") is { } interval)
        {
            var parsed = DriftIntervalParser.Parse(interval.Value);
            if (parsed is null)
            {
                Error(DiagnosticCodes.InvalidValue, interval.Location, $"drift.interval '{interval.Value}' is not a duration.",
                    "Write 90s, 30m, 1h, 1d (or combined: 1h30m) or ISO-8601 such as PT30M.");
            }
            else if (parsed < DriftIntervalParser.Minimum)
            {
                Error(DiagnosticCodes.InvalidValue, interval.Location, $"drift.interval '{interval.Value}' is shorter than 1 minute.",
                    "Use 1m or more: each drift check reads every resource from ARM and spends its read quota.");
            }
            else
            {
                definition = definition with { DriftInterval = parsed.Value };
            }
        }

        if (map.TryGet("mode", out _, out var mode) && _reader.ReadEnum(mode, "drift.mode", DriftModes) is { } driftMode)
        {
            definition = definition with { DriftMode = driftMode };
        }

        return definition;
    }

    private PruneSettings? ReadPrune(YamlNode node)
    {
        if (_reader.ExpectMap(node, "prune", "prune: { enabled: true, deleteBudget: 10 }") is not { } map)
        {
            return null;
        }

        _reader.RejectUnknownKeys(map, PruneFields, "prune");
        var settings = PruneSettings.Disabled;
        if (map.TryGet("enabled", out _, out var enabled) && _reader.ReadBool(enabled, "prune.enabled") is { } on)
        {
            settings = settings with { Enabled = on };
        }

        if (map.TryGet("deleteBudget", out _, out var budgetNode)
            && _reader.ExpectScalar(budgetNode, "prune.deleteBudget", "deleteBudget: 10") is { } budget)
        {
            if (budget.IsPlain && int.TryParse(budget.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                settings = settings with { DeleteBudget = count };
            }
            else
            {
                Error(DiagnosticCodes.InvalidValue, budget.Location, $"prune.deleteBudget '{budget.Value}' is not a whole number of 0 or more.",
                    "Write the most deletes one run may make, e.g. deleteBudget: 10.");
            }
        }

        return settings;
    }

    private Suspension? ReadSuspended(YamlNode node)
    {
        if (node is YamlScalar)
        {
            return _reader.ReadBool(node, "suspended") == true
                ? new Suspension("suspended in gitops.yaml", SuspendedBy, null, null)
                : null;
        }

        if (_reader.ExpectMap(node, "suspended", "suspended: true, or suspended: { reason: \"...\", until: 2026-12-01T00:00:00Z }") is not { } map)
        {
            return null;
        }

        _reader.RejectUnknownKeys(map, SuspendedFields, "suspended");
        var reason = "suspended in gitops.yaml";
        if (map.TryGet("reason", out _, out var reasonNode) && _reader.ExpectScalar(reasonNode, "suspended.reason", "reason: \"change freeze\"") is { } text)
        {
            reason = text.Value;
        }

        DateTimeOffset? until = null;
        if (map.TryGet("until", out _, out var untilNode) && _reader.ExpectScalar(untilNode, "suspended.until", "until: 2026-12-01T00:00:00Z") is { } untilText)
        {
            if (DateTimeOffset.TryParse(untilText.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                && untilText.Value.Contains('-'))
            {
                until = parsed;
            }
            else
            {
                Error(DiagnosticCodes.InvalidValue, untilText.Location, $"suspended.until '{untilText.Value}' is not a date and time.",
                    "Write an ISO-8601 time such as 2026-12-01T00:00:00Z.");
            }
        }

        return new Suspension(reason, SuspendedBy, null, until);
    }

    private Dictionary<string, string> ReadVariables(YamlNode node)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_reader.ExpectMap(node, "variables", "variables: { location: westeurope }") is not { } map)
        {
            return variables;
        }

        foreach (var (key, value) in map.Entries)
        {
            if (!VariableNamePattern().IsMatch(key.Value))
            {
                Error(DiagnosticCodes.InvalidValue, key.Location, $"Variable name '{key.Value}' is not valid.",
                    "Use letters, digits, '_' and '-', starting with a letter or '_' (it is written as vars.NAME).");
                continue;
            }

            if (_reader.ExpectScalar(value, $"variables.{key.Value}", $"{key.Value}: some-value") is not { } scalar)
            {
                continue;
            }

            if (Expressions.ExpressionExpander.MayContainExpression(scalar.Value))
            {
                Error(DiagnosticCodes.InvalidValue, scalar.Location, $"Variable '{key.Value}' contains '${{{{': variables are not expanded.",
                    "Write the literal value.");
                continue;
            }

            // Scalars keep their text as written: "1.10" stays "1.10" and "no" stays "no".
            variables[key.Value] = scalar.Value;
        }

        return variables;
    }

    private bool HasErrorsSince(int mark) =>
        diagnostics.Skip(mark).Any(d => d.Severity == DiagnosticSeverity.Error);

    private void Error(string code, SourceLocation location, string message, string hint) =>
        diagnostics.Add(Diagnostic.Error(code, location, message, hint));

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex VariableNamePattern();

    [GeneratedRegex(@"^[^\s~^:?*\[\\\x00-\x1f\x7f-][^\s~^:?*\[\\\x00-\x1f\x7f]*$")]
    private static partial Regex BranchPattern();
}
