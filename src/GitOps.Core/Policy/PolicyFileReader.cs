using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GitOps.Core.Manifests;
using GitOps.Core.Manifests.Validation;
using GitOps.Core.Manifests.Yaml;

namespace GitOps.Core.Policy;

/// <summary>
/// Reads the rules of <c>gitops.policy.yaml</c>, reporting every problem with its location, in the style of
/// <c>gitops.yaml</c>: unknown fields (GO1002, with a suggestion), missing ones (GO1003), wrong shapes and values
/// (GO1010). A rule with errors is left out; the others are still read so every error of the file shows in one run.
/// </summary>
internal sealed partial class PolicyFileReader(string file, List<Diagnostic> diagnostics)
{
    /// <summary>The only format version so far.</summary>
    public const string CurrentVersion = "1";

    private static readonly string[] TopFields = ["version", "rules"];
    private static readonly string[] CheckFields = ["allowedLocations", "requiredTags", "deniedTypes", "allowedSkus", "assert"];
    private static readonly string[] RuleFields = ["name", "description", "severity", "appliesTo", .. CheckFields];
    private static readonly string[] ScopeFields = ["types", "environments"];
    private static readonly string[] OperatorFields = ["equals", "oneOf", "not", "exists", "absent"];
    private static readonly string[] AssertFields = ["path", .. OperatorFields];

    private static readonly Dictionary<string, PolicySeverity> Severities = new(StringComparer.Ordinal)
    {
        ["deny"] = PolicySeverity.Deny,
        ["warn"] = PolicySeverity.Warn,
    };

    private readonly MapReader _reader = new(diagnostics);

    /// <summary>Reads the rules from the parsed documents of the file.</summary>
    public IReadOnlyList<PolicyRule> Read(IReadOnlyList<YamlDocument> documents)
    {
        var content = documents.Where(d => !(d.Root is YamlScalar s && YamlCoreSchema.IsNull(s))).ToList();
        if (content.Count == 0)
        {
            Error(DiagnosticCodes.MissingField, new SourceLocation(file, 1, 1), $"'{file}' declares no rules.",
                "Add 'rules:' with at least one rule, or delete the file.");
            return [];
        }

        foreach (var extra in content.Skip(1))
        {
            Error(DiagnosticCodes.InvalidValue, extra.Location, $"'{file}' holds more than one YAML document.",
                "Keep a single document: remove the '---' separators.");
        }

        if (_reader.ExpectMap(content[0].Root, file, "rules: [ { name: ..., allowedLocations: [ westeurope ] } ]") is not { } root)
        {
            return [];
        }

        _reader.RejectUnknownKeys(root, TopFields, file);
        if (root.TryGet("version", out _, out var version)
            && _reader.ExpectScalar(version, "version", "version: 1") is { } versionText && versionText.Value != CurrentVersion)
        {
            Error(DiagnosticCodes.InvalidValue, versionText.Location, $"version '{versionText.Value}' is not supported.",
                $"Write version: {CurrentVersion} (or leave it out).");
        }

        if (!root.TryGet("rules", out _, out var rulesNode))
        {
            Error(DiagnosticCodes.MissingField, root.Location, $"'{file}' has no 'rules' list.",
                "Add 'rules:' with at least one rule (name and one check).");
            return [];
        }

        if (_reader.ExpectList(rulesNode, "rules", "a list of '- name: ...' entries") is not { } list)
        {
            return [];
        }

        var rules = new List<PolicyRule>();
        var names = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            if (ReadRule(item) is not { } rule)
            {
                continue;
            }

            if (!names.TryAdd(rule.Name, rule.Location))
            {
                Error(DiagnosticCodes.InvalidValue, rule.Location,
                    $"Rule name '{rule.Name}' is used twice; it is first declared at {names[rule.Name]}.",
                    "Give every rule a unique name: violations are reported by it.");
                continue;
            }

            rules.Add(rule);
        }

        return rules;
    }

    private PolicyRule? ReadRule(YamlNode node)
    {
        if (_reader.ExpectMap(node, "rules[]", "'- name: allowed-locations' followed by one check such as 'allowedLocations: [ westeurope ]'") is not { } map)
        {
            return null;
        }

        var mark = diagnostics.Count;
        _reader.RejectUnknownKeys(map, RuleFields, "a policy rule");
        var name = ReadName(map);
        var severity = PolicySeverity.Deny;
        if (map.TryGet("severity", out _, out var severityNode) && _reader.ReadEnum(severityNode, "severity", Severities) is { } read)
        {
            severity = read;
        }

        string? description = null;
        if (map.TryGet("description", out _, out var descriptionNode)
            && _reader.ExpectScalar(descriptionNode, "description", "description: \"why the rule exists\"") is { } descriptionText)
        {
            description = descriptionText.Value;
        }

        var scope = PolicyScope.Everything;
        if (map.TryGet("appliesTo", out _, out var scopeNode))
        {
            scope = ReadScope(scopeNode);
        }

        var check = ReadCheck(map, name ?? "?");
        return !HasErrorsSince(mark) && name is not null && check is not null
            ? new PolicyRule(name, severity, scope, check, map.Location, description)
            : null;
    }

    private string? ReadName(YamlMap map)
    {
        if (!map.TryGet("name", out _, out var node))
        {
            Error(DiagnosticCodes.MissingField, map.Location, "The policy rule has no 'name'.",
                "Add name: <letters, digits, '.', '_' and '-'>, e.g. name: allowed-locations.");
            return null;
        }

        if (_reader.ExpectScalar(node, "name", "name: allowed-locations") is not { } scalar)
        {
            return null;
        }

        if (!RuleNamePattern().IsMatch(scalar.Value))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"Rule name '{scalar.Value}' is not valid.",
                "Use 1-63 letters, digits, '.', '_' and '-', starting with a letter or digit.");
            return null;
        }

        return scalar.Value;
    }

    private PolicyScope ReadScope(YamlNode node)
    {
        if (_reader.ExpectMap(node, "appliesTo", "appliesTo: { types: [ \"Microsoft.Storage/*\" ], environments: [ prod ] }") is not { } map)
        {
            return PolicyScope.Everything;
        }

        _reader.RejectUnknownKeys(map, ScopeFields, "appliesTo");
        var types = map.TryGet("types", out _, out var typesNode) ? ReadTypeGlobs(typesNode, "appliesTo.types") : [];
        var environments = map.TryGet("environments", out _, out var environmentsNode)
            ? ReadTexts(environmentsNode, "appliesTo.environments", "environments: [ prod ]")
            : [];
        return new PolicyScope(types, environments);
    }

    private PolicyCheck? ReadCheck(YamlMap map, string rule)
    {
        var checks = map.Entries.Where(e => CheckFields.Contains(e.Key.Value, StringComparer.Ordinal)).ToList();
        if (checks.Count == 0)
        {
            // A misspelt check ('alowedLocations') is already reported as an unknown field with a suggestion.
            if (map.Entries.Any(e => !RuleFields.Contains(e.Key.Value, StringComparer.Ordinal)))
            {
                return null;
            }

            Error(DiagnosticCodes.MissingField, map.Location, $"Policy rule '{rule}' has no check.",
                $"Add exactly one of: {string.Join(", ", CheckFields)}.");
            return null;
        }

        if (checks.Count > 1)
        {
            Error(DiagnosticCodes.InvalidValue, checks[1].Key.Location,
                $"Policy rule '{rule}' has more than one check ({string.Join(", ", checks.Select(c => c.Key.Value))}).",
                "Write one check per rule: split it into several rules, each with its own name.");
            return null;
        }

        var (key, value) = checks[0];
        return key.Value switch
        {
            "allowedLocations" => ReadTexts(value, "allowedLocations", "allowedLocations: [ westeurope, northeurope ]", nonEmpty: true) is { Count: > 0 } locations
                ? new AllowedLocationsCheck(locations)
                : null,
            "requiredTags" => ReadRequiredTags(value),
            "deniedTypes" => ReadTypeGlobs(value, "deniedTypes", nonEmpty: true) is { Count: > 0 } types ? new DeniedTypesCheck(types) : null,
            "allowedSkus" => ReadAllowedSkus(value),
            _ => ReadAssertion(value),
        };
    }

    private RequiredTagsCheck? ReadRequiredTags(YamlNode node)
    {
        const string Example = "requiredTags: { costCenter: [ \"1001\", \"1002\" ], owner: [] }";
        var tags = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        if (node is YamlList list)
        {
            // The short form: names only, any value.
            foreach (var name in ReadTexts(list, "requiredTags", Example, nonEmpty: true))
            {
                tags.Add(new(name, []));
            }
        }
        else if (_reader.ExpectMap(node, "requiredTags", Example) is { } map)
        {
            foreach (var (key, values) in map.Entries)
            {
                var allowed = values is YamlScalar s && YamlCoreSchema.IsNull(s)
                    ? []
                    : ReadTexts(values, $"requiredTags.{key.Value}", $"{key.Value}: [ value1, value2 ] (or [] for any value)");
                tags.Add(new(key.Value, allowed));
            }
        }

        if (tags.Count == 0 && node is YamlMap or YamlList)
        {
            Error(DiagnosticCodes.MissingField, node.Location, "'requiredTags' lists no tags.", $"Write it as {Example}.");
        }

        return tags.Count > 0 ? new RequiredTagsCheck(tags) : null;
    }

    private AllowedSkusCheck? ReadAllowedSkus(YamlNode node)
    {
        const string Example = "allowedSkus: { \"Microsoft.Storage/storageAccounts\": [ Standard_ZRS, Standard_GRS ] }";
        if (_reader.ExpectMap(node, "allowedSkus", Example) is not { } map)
        {
            return null;
        }

        var skus = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        foreach (var (key, values) in map.Entries)
        {
            if (!IsValidTypeGlob(key, "allowedSkus"))
            {
                continue;
            }

            var names = ReadTexts(values, $"allowedSkus.{key.Value}", $"\"{key.Value}\": [ Standard_ZRS ]", nonEmpty: true);
            if (names.Count > 0)
            {
                skus.Add(new(key.Value, names));
            }
        }

        if (map.Entries.Count == 0)
        {
            Error(DiagnosticCodes.MissingField, map.Location, "'allowedSkus' lists no resource types.", $"Write it as {Example}.");
        }

        return skus.Count > 0 ? new AllowedSkusCheck(skus) : null;
    }

    private PropertyAssertion? ReadAssertion(YamlNode node)
    {
        const string Example = "assert: { path: /properties/minimumTlsVersion, equals: TLS1_2 }";
        if (_reader.ExpectMap(node, "assert", Example) is not { } map)
        {
            return null;
        }

        _reader.RejectUnknownKeys(map, AssertFields, "assert");
        string? path = null;
        if (!map.TryGet("path", out _, out var pathNode))
        {
            Error(DiagnosticCodes.MissingField, map.Location, "'assert' has no 'path'.", $"Write it as {Example}.");
        }
        else if (_reader.ExpectScalar(pathNode, "assert.path", "path: /properties/minimumTlsVersion") is { } pathText)
        {
            path = ReadPointer(pathText);
        }

        var operators = map.Entries.Where(e => OperatorFields.Contains(e.Key.Value, StringComparer.Ordinal)).ToList();
        if (operators.Count != 1)
        {
            Error(operators.Count == 0 ? DiagnosticCodes.MissingField : DiagnosticCodes.InvalidValue,
                operators.Count == 0 ? map.Location : operators[1].Key.Location,
                operators.Count == 0 ? "'assert' has no condition." : $"'assert' has more than one condition ({string.Join(", ", operators.Select(o => o.Key.Value))}).",
                $"Write exactly one of: {string.Join(", ", OperatorFields)}.");
            return null;
        }

        var (key, value) = operators[0];
        var field = "assert." + key.Value;
        PropertyAssertion? Build(AssertionOperator op, IReadOnlyList<JsonNode?>? values) =>
            path is not null && values is not null ? new PropertyAssertion(path, op, values) : null;
        switch (key.Value)
        {
            case "equals":
                return Build(AssertionOperator.EqualTo, TryReadOperand(value, field, out var equal) ? [equal] : null);
            case "not":
                return Build(AssertionOperator.Not, TryReadOperand(value, field, out var other) ? [other] : null);
            case "oneOf":
                if (_reader.ExpectList(value, field, "oneOf: [ TLS1_2, TLS1_3 ]") is not { } list)
                {
                    return null;
                }

                if (list.Items.Count == 0)
                {
                    Error(DiagnosticCodes.MissingField, list.Location, "'assert.oneOf' is empty.", "List at least one allowed value.");
                    return null;
                }

                var operands = new List<JsonNode?>();
                var valid = true;
                foreach (var item in list.Items)
                {
                    valid &= TryReadOperand(item, field, out var operand);
                    operands.Add(operand);
                }

                return Build(AssertionOperator.OneOf, valid ? operands : null);
            default:
                if (_reader.ReadBool(value, field) is not { } flag)
                {
                    return null;
                }

                if (!flag)
                {
                    Error(DiagnosticCodes.InvalidValue, value.Location, $"'{field}: false' is not a condition.",
                        key.Value == "exists" ? "Write absent: true to require that the field is not set." : "Write exists: true to require that the field is set.");
                    return null;
                }

                return Build(key.Value == "exists" ? AssertionOperator.Exists : AssertionOperator.Absent, []);
        }
    }

    private string? ReadPointer(YamlScalar scalar)
    {
        var text = scalar.Value;
        if (text.Length < 2 || !Pointers.JsonPointer.IsValid(text))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"assert.path '{text}' is not a JSON pointer into the resource body.",
                "Write it as /properties/minimumTlsVersion: '/' before each field, '~1' for a '/' and '~0' for a '~' inside a name.");
            return null;
        }

        return text;
    }

    // The value to compare with, typed as in the resource documents (YAML 1.2 core schema: TLS1_2 is text, 90 a number).
    private bool TryReadOperand(YamlNode node, string field, out JsonNode? value)
    {
        value = null;
        if (node is not YamlScalar scalar)
        {
            Error(DiagnosticCodes.InvalidValue, node.Location, $"'{field}' must be a single value, not a {MapReader.Describe(node)}.",
                "Point the path at a single field and compare it with a text, number, boolean or null.");
            return false;
        }

        if (!YamlCoreSchema.TryType(scalar, scalar.Value, out value, out var error))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"'{field}': {error}", "Write a text, number, boolean or null.");
            return false;
        }

        return true;
    }

    private List<string> ReadTypeGlobs(YamlNode node, string field, bool nonEmpty = false)
    {
        if (_reader.ExpectList(node, field, $"{field}: [ \"Microsoft.Storage/*\" ]") is not { } list)
        {
            return [];
        }

        if (nonEmpty && list.Items.Count == 0)
        {
            Error(DiagnosticCodes.MissingField, list.Location, $"'{field}' is empty.", $"List at least one resource type, e.g. {field}: [ \"Microsoft.ClassicCompute/*\" ].");
        }

        var globs = new List<string>();
        foreach (var item in list.Items)
        {
            if (_reader.ExpectScalar(item, field + "[]", "\"Microsoft.Storage/storageAccounts\"") is { } scalar && IsValidTypeGlob(scalar, field))
            {
                globs.Add(scalar.Value);
            }
        }

        return globs;
    }

    private bool IsValidTypeGlob(YamlScalar scalar, string field)
    {
        if (scalar.Value.Contains('@', StringComparison.Ordinal))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"{field}: '{scalar.Value}' has an api-version; policy rules match types without one.",
                $"Write '{scalar.Value[..scalar.Value.IndexOf('@', StringComparison.Ordinal)]}'.");
            return false;
        }

        if (!TypeGlobPattern().IsMatch(scalar.Value))
        {
            Error(DiagnosticCodes.InvalidValue, scalar.Location, $"{field}: '{scalar.Value}' is not a resource type or type pattern.",
                "Write Namespace/type, optionally with '*' for any characters, e.g. Microsoft.Storage/* or Microsoft.Network/*/subnets.");
            return false;
        }

        return true;
    }

    private List<string> ReadTexts(YamlNode node, string field, string example, bool nonEmpty = false)
    {
        if (_reader.ExpectList(node, field, example) is not { } list)
        {
            return [];
        }

        if (nonEmpty && list.Items.Count == 0)
        {
            Error(DiagnosticCodes.MissingField, list.Location, $"'{field}' is empty.", $"Write it as {example}.");
        }

        var texts = new List<string>();
        foreach (var item in list.Items)
        {
            if (_reader.ExpectScalar(item, field + "[]", example) is { } scalar)
            {
                texts.Add(scalar.Value);
            }
        }

        return texts;
    }

    private bool HasErrorsSince(int mark) =>
        diagnostics.Skip(mark).Any(d => d.Severity == DiagnosticSeverity.Error);

    private void Error(string code, SourceLocation location, string message, string hint) =>
        diagnostics.Add(Diagnostic.Error(code, location, message, hint));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex RuleNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9.*_-]+(/[A-Za-z0-9.*_-]+)*$")]
    private static partial Regex TypeGlobPattern();
}
