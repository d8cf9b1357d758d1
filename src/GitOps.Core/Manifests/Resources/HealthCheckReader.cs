using GitOps.Core.Manifests.Config;
using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Manifests.Resources;

/// <summary>
/// Reads <c>health: [ { path: /properties/state, equals: Running } ]</c> and <c>healthTimeout: 10m</c> of a resource's
/// <c>reconcile</c> block, reporting every mistake at its line.
/// </summary>
internal sealed class HealthCheckReader(MapReader reader)
{
    /// <summary>The most assertions one resource may have (each is checked on every health poll).</summary>
    public const int MaxChecks = 10;

    private static readonly string[] CheckFields = ["path", "equals"];

    /// <summary>The settings, or null when the block declares no health checks (a timeout alone is reported).</summary>
    public HealthSettings? Read(YamlMap block)
    {
        var timeout = HealthSettings.DefaultTimeout;
        if (block.TryGet("healthTimeout", out var timeoutKey, out var timeoutNode))
        {
            timeout = ReadTimeout(timeoutNode) ?? timeout;
            if (!block.TryGet("health", out _, out _))
            {
                Error(timeoutKey.Location, "reconcile.healthTimeout is set but there is no reconcile.health list to wait for.", "Add health: [ { path: /properties/state, equals: Running } ], or remove healthTimeout.");
            }
        }

        if (!block.TryGet("health", out _, out var node)
            || reader.ExpectList(node, "reconcile.health", "health: [ { path: /properties/state, equals: Running } ]") is not { } list)
        {
            return null;
        }

        if (list.Items.Count > MaxChecks)
        {
            Error(list.Location, $"reconcile.health has {list.Items.Count} entries; the limit is {MaxChecks}.", "Keep the assertions that say the resource is ready to use.");
            return null;
        }

        var checks = new List<HealthAssertion>();
        foreach (var item in list.Items)
        {
            if (ReadCheck(item) is { } check)
            {
                checks.Add(check);
            }
        }

        return new HealthSettings(checks, timeout);
    }

    private HealthAssertion? ReadCheck(YamlNode node)
    {
        if (reader.ExpectMap(node, "reconcile.health[]", "- { path: /properties/state, equals: Running }") is not { } map)
        {
            return null;
        }

        reader.RejectUnknownKeys(map, CheckFields, "a health check");
        string? path = null;
        if (!map.TryGet("path", out _, out var pathNode))
        {
            Error(map.Location, "The health check has no 'path'.", "Add path: /properties/state (a JSON pointer into the live body).");
        }
        else if (reader.ExpectScalar(pathNode, "reconcile.health[].path", "path: /properties/state") is { } pointer)
        {
            if (pointer.Value.Length == 0 || !Pointers.JsonPointer.IsValid(pointer.Value))
            {
                Error(pointer.Location, $"reconcile.health path '{pointer.Value}' is not a JSON pointer.", "Write a JSON pointer into the ARM body starting with '/', e.g. /properties/state.");
            }
            else
            {
                path = pointer.Value;
            }
        }

        string? expected = null;
        if (!map.TryGet("equals", out _, out var equalsNode))
        {
            Error(map.Location, "The health check has no 'equals'.", "Add equals: Running (the value the live body must hold).");
        }
        else if (reader.ExpectScalar(equalsNode, "reconcile.health[].equals", "equals: Running") is { } value)
        {
            expected = value.Value;
        }

        return path is not null && expected is not null ? new HealthAssertion(path, expected) : null;
    }

    private TimeSpan? ReadTimeout(YamlNode node)
    {
        if (reader.ExpectScalar(node, "reconcile.healthTimeout", "healthTimeout: 10m") is not { } scalar)
        {
            return null;
        }

        var parsed = DriftIntervalParser.Parse(scalar.Value);
        if (parsed is null || parsed < TimeSpan.FromSeconds(1) || parsed > HealthSettings.MaxTimeout)
        {
            Error(scalar.Location, $"reconcile.healthTimeout '{scalar.Value}' is not a duration from 1s to {HealthSettings.MaxTimeout.TotalMinutes:0}m.",
                "Write e.g. 90s or 10m: a run holds the environment's lease while it waits, so the wait is bounded.");
            return null;
        }

        return parsed;
    }

    private void Error(SourceLocation location, string message, string hint) =>
        reader.Diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidValue, location, message, hint));
}
