using System.Text.Json;
using System.Text.Json.Nodes;
using GitOps.Core.Pointers;
using GitOps.Core.Schemas;

namespace GitOps.Core.Manifests.Validation;

/// <summary>
/// Checks one declared body against its catalogue type: unknown properties (with a did-you-mean), wrong JSON types,
/// values outside an enum, read-only properties, missing required properties and discriminated shapes. Each finding
/// names the JSON pointer and sits at the YAML line of the property.
/// </summary>
/// <remarks>
/// <para>Findings are warnings unless <c>strict</c>: the catalogue is generated from the REST specs and is sometimes
/// wrong, which is why Bicep reports the same problems as warnings (Azure/bicep#3000, #13534).</para>
/// <para>The walk follows the body, which the loader already bounds (nesting depth, nodes per file), so cycles in the
/// type graph cannot loop. Unions of objects are tried element by element, which could multiply; a step budget per
/// resource and a cap on findings keep a hostile body cheap.</para>
/// </remarks>
internal sealed class SchemaValidator
{
    /// <summary>Most findings reported for one resource; the rest are summarised in one line.</summary>
    public const int MaxFindings = 25;

    /// <summary>Most schema nodes visited for one resource before the check gives up (a note says so).</summary>
    public const int MaxSteps = 200_000;

    /// <summary>Deepest nesting followed; the loader's own limit (64) is lower, this guards direct callers.</summary>
    private const int MaxDepth = 128;

    /// <summary>Our fields, lifted out of the body: the catalogue's <c>name</c>, <c>type</c>, … are never in it.</summary>
    private static readonly HashSet<string> LiftedFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "type", "apiVersion", "id", "scope", "dependsOn", "parent",
    };

    private readonly ResourceTypeSchema _schema;
    private readonly string _resourceName;
    private readonly IReadOnlyDictionary<string, SourceLocation> _locations;
    private readonly SourceLocation _fallback;
    private List<Finding> _sink = [];
    private int _steps;

    private SchemaValidator(ResourceTypeSchema schema, string resourceName, IReadOnlyDictionary<string, SourceLocation> locations, SourceLocation fallback)
    {
        _schema = schema;
        _resourceName = resourceName;
        _locations = locations;
        _fallback = fallback;
    }

    /// <summary>
    /// Validates <paramref name="body"/> and adds the findings to <paramref name="diagnostics"/>; returns the pointers of
    /// declared read-only properties (the loader leaves them out of the body it sends).
    /// </summary>
    /// <param name="schema">The catalogue entry of the declared <c>type@api-version</c>.</param>
    /// <param name="resourceName">The ARM name; a body discriminated on <c>name</c> (<c>sites/config</c>) uses its last segment.</param>
    /// <param name="body">The expanded body.</param>
    /// <param name="locations">Where each pointer is written.</param>
    /// <param name="fallback">The document's location, for pointers without one.</param>
    /// <param name="strict">Report findings as errors.</param>
    /// <param name="diagnostics">Where findings go.</param>
    public static IReadOnlyList<string> Validate(
        ResourceTypeSchema schema, string? resourceName, JsonObject body, IReadOnlyDictionary<string, SourceLocation> locations,
        SourceLocation fallback, bool strict, List<Diagnostic> diagnostics)
    {
        var validator = new SchemaValidator(schema, resourceName ?? string.Empty, locations, fallback);
        validator.Walk(body, schema.Body.Type, string.Empty, depth: 0, top: true);
        var findings = validator._sink;
        var readOnly = new List<string>();
        var reported = 0;
        foreach (var finding in findings)
        {
            if (finding.Code == DiagnosticCodes.SchemaReadOnlyProperty)
            {
                readOnly.Add(finding.Pointer);
            }

            if (reported++ >= MaxFindings)
            {
                continue;
            }

            diagnostics.Add(new Diagnostic(
                finding.Code, strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, validator.At(finding.Pointer),
                $"{finding.Message} ({schema.Key}, at {(finding.Pointer.Length == 0 ? "the document" : finding.Pointer)}).", finding.Hint));
        }

        if (findings.Count > MaxFindings)
        {
            diagnostics.Add(new Diagnostic(
                DiagnosticCodes.SchemaTypeMismatch, strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, fallback,
                $"{findings.Count - MaxFindings} more schema finding(s) for this resource are not shown ({schema.Key}).",
                "Fix the ones above first; is the api-version the one the body was written for?"));
        }

        if (validator._steps > MaxSteps)
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.LimitExceeded, fallback,
                $"The schema check of this resource stopped after {MaxSteps} steps ({schema.Key}); the rest of the body is not checked.",
                "Simplify the body, or set reconcile: { schema: off } for it."));
        }

        return readOnly;
    }

    private SourceLocation At(string pointer)
    {
        // The closest written ancestor: a missing property is reported at the object that lacks it.
        var current = pointer;
        while (true)
        {
            if (_locations.TryGetValue(current, out var location))
            {
                return location;
            }

            var slash = current.LastIndexOf('/');
            if (slash < 0)
            {
                return _fallback;
            }

            current = current[..slash];
        }
    }

    private void Add(string code, string pointer, string message, string? hint) => _sink.Add(new Finding(code, pointer, message, hint));

    private void Walk(JsonNode? value, SchemaType type, string pointer, int depth, bool top = false)
    {
        if (++_steps > MaxSteps || depth > MaxDepth || IsNull(value) || IsSecretPlaceholder(value))
        {
            // A null asks ARM to clear or default a property; a Key Vault placeholder is text until apply.
            return;
        }

        switch (type)
        {
            case AnySchema:
                return;
            case ObjectSchema obj:
                WalkObject(value!, obj.Properties, obj.AdditionalProperties, obj.Display, pointer, depth, top);
                return;
            case DiscriminatedObjectSchema discriminated:
                WalkDiscriminated(value!, discriminated, pointer, depth, top);
                return;
            case UnionSchema union:
                WalkUnion(value!, union, pointer, depth);
                return;
            case StringLiteralSchema literal:
                CheckEnum(value!, [literal.Value], extensible: false, pointer);
                return;
            case StringSchema text:
                CheckString(value!, text, pointer);
                return;
            case IntegerSchema number:
                CheckNumber(value!, number, pointer);
                return;
            case BooleanSchema:
                if (Kind(value) is not (JsonValueKind.True or JsonValueKind.False))
                {
                    Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be a boolean, not {Describe(value)}",
                        Kind(value) == JsonValueKind.String ? "Write true or false without quotes (yes/no/on/off are text in YAML 1.2)." : "Write true or false.");
                }

                return;
            case ArraySchema array:
                WalkArray(value!, array, pointer, depth);
                return;
            case NullSchema:
                Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be null, not {Describe(value)}", "Remove it.");
                return;
        }
    }

    private void WalkObject(
        JsonNode value, IReadOnlyDictionary<string, SchemaProperty> properties, SchemaRef? additional, string display, string pointer, int depth, bool top,
        string? discriminator = null)
    {
        if (value is not JsonObject map)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be a map ({display}), not {Describe(value)}", "Write it as a map of properties.");
            return;
        }

        foreach (var (key, child) in map)
        {
            var childPointer = pointer + "/" + JsonPointer.Escape(key);
            if (string.Equals(key, discriminator, StringComparison.Ordinal))
            {
                continue;
            }

            var property = Find(properties, key, out var exact);
            if (property is null)
            {
                if (additional is not null)
                {
                    Walk(child, additional.Type, childPointer, depth + 1);
                    continue;
                }

                var known = properties.Where(p => !p.Value.IsReadOnly).Select(p => p.Key);
                var suggestion = Suggestions.Closest(key, known);
                Add(DiagnosticCodes.SchemaUnknownProperty, childPointer,
                    $"Unknown property '{key}' in {display}{(suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?")}",
                    (suggestion is null ? "Remove it" : $"Rename it to '{suggestion}'")
                    + ": ARM drops properties it does not know, which would show as drift on every run. If the catalogue is wrong, set reconcile: { schema: off }.");
                continue;
            }

            if (!exact)
            {
                var canonical = properties.Keys.First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                Add(DiagnosticCodes.SchemaUnknownProperty, childPointer,
                    $"Property '{key}' in {display} is spelt '{canonical}' in the catalogue",
                    $"Rename it to '{canonical}': property names are compared exactly by many resource providers.");
            }

            if (property.IsReadOnly)
            {
                Add(DiagnosticCodes.SchemaReadOnlyProperty, childPointer,
                    $"'{key}' is read-only: ARM sets this; remove it",
                    "It is not sent and not compared for drift (a pasted GET response?).");
                continue;
            }

            Walk(child, property.Type, childPointer, depth + 1);
        }

        foreach (var (name, property) in properties)
        {
            if (!property.IsRequired || (top && LiftedFields.Contains(name)) || string.Equals(name, discriminator, StringComparison.Ordinal))
            {
                continue;
            }

            if (Find(map, name) is null)
            {
                Add(DiagnosticCodes.SchemaMissingProperty, pointer,
                    $"{(pointer.Length == 0 ? "The resource" : Label(pointer))} is missing the required property '{name}' ({property.Type.Display})",
                    $"Add '{name}'; ARM rejects a PUT without it.");
            }
        }
    }

    private void WalkDiscriminated(JsonNode value, DiscriminatedObjectSchema type, string pointer, int depth, bool top)
    {
        if (value is not JsonObject map)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be a map ({type.Display}), not {Describe(value)}", "Write it as a map of properties.");
            return;
        }

        var allowed = string.Join(", ", type.Elements.Keys.Order(StringComparer.Ordinal).Take(20).Select(k => $"'{k}'"));
        string? selector;
        var selectorPointer = pointer + "/" + JsonPointer.Escape(type.Discriminator);
        if (top && LiftedFields.Contains(type.Discriminator))
        {
            // sites/config and similar: the discriminator is the resource's own name (its last segment).
            selector = _resourceName[(_resourceName.LastIndexOf('/') + 1)..];
            selectorPointer = "/name";
        }
        else
        {
            var node = Find(map, type.Discriminator);
            if (node is null)
            {
                Add(DiagnosticCodes.SchemaTypeMismatch, pointer,
                    $"{(pointer.Length == 0 ? "The resource" : Label(pointer))} ({type.Display}) needs '{type.Discriminator}', one of {allowed}",
                    $"Add {type.Discriminator}: <one of them>; it selects which other properties are allowed.");
                return;
            }

            selector = Kind(node) == JsonValueKind.String ? node.GetValue<string>() : null;
        }

        var element = selector is null ? null : type.Find(selector, out var exact) is { } found && found.Value.Type is ObjectSchema o ? (found.Key, o, exact) : default((string, ObjectSchema, bool)?);
        if (element is null)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, selectorPointer,
                $"{Label(selectorPointer)} is {(selector is null ? "not text" : $"'{selector}'")}, which {type.Display} does not define; allowed: {allowed}",
                $"Use one of them, or check the api-version.");
            return;
        }

        var (canonical, shape, matchedExactly) = element.Value;
        if (!matchedExactly)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, selectorPointer,
                $"{Label(selectorPointer)} is '{selector}'; the catalogue spells it '{canonical}'", $"Write '{canonical}'.");
        }

        var merged = new Dictionary<string, SchemaProperty>(type.BaseProperties, StringComparer.Ordinal);
        foreach (var (name, property) in shape.Properties)
        {
            merged[name] = property;
        }

        WalkObject(map, merged, shape.AdditionalProperties, $"{type.Display} ({type.Discriminator} '{canonical}')", pointer, depth, top, type.Discriminator);
    }

    private void WalkUnion(JsonNode value, UnionSchema union, string pointer, int depth)
    {
        var literals = new List<string>();
        var extensible = false;
        var others = new List<SchemaType>();
        foreach (var element in union.Elements)
        {
            switch (element.Type)
            {
                case StringLiteralSchema literal:
                    literals.Add(literal.Value);
                    break;
                case StringSchema:
                    extensible = true;
                    break;
                case NullSchema:
                    break;
                default:
                    others.Add(element.Type);
                    break;
            }
        }

        if (others.Count == 0)
        {
            CheckEnum(value, literals, extensible, pointer);
            return;
        }

        if (Kind(value) == JsonValueKind.String && (extensible || literals.Contains(value.GetValue<string>())))
        {
            return;
        }

        // Objects or mixed kinds: accept the first alternative that finds nothing; otherwise report the closest one.
        List<Finding>? best = null;
        var saved = _sink;
        foreach (var candidate in others)
        {
            _sink = [];
            Walk(value, candidate, pointer, depth);
            if (_sink.Count == 0)
            {
                _sink = saved;
                return;
            }

            if (best is null || _sink.Count < best.Count)
            {
                best = _sink;
            }
        }

        _sink = saved;
        if (literals.Count > 0 && Kind(value) == JsonValueKind.String)
        {
            CheckEnum(value, literals, extensible, pointer);
            return;
        }

        _sink.AddRange(best!);
    }

    private void CheckEnum(JsonNode value, IReadOnlyList<string> literals, bool extensible, string pointer)
    {
        var allowed = string.Join(", ", literals.Take(20).Select(l => $"'{l}'")) + (literals.Count > 20 ? ", …" : string.Empty);
        if (Kind(value) != JsonValueKind.String)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be text, one of {allowed}; not {Describe(value)}", "Quote the value if YAML read it as a number or boolean.");
            return;
        }

        var text = value.GetValue<string>();
        if (extensible || literals.Contains(text, StringComparer.Ordinal))
        {
            return;
        }

        var canonical = literals.FirstOrDefault(l => string.Equals(l, text, StringComparison.OrdinalIgnoreCase));
        if (canonical is not null)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} is '{text}'; the catalogue spells it '{canonical}'",
                $"Write '{canonical}': some resource providers compare it exactly, and the plan would show the casing as drift.");
            return;
        }

        var suggestion = Suggestions.Closest(text, literals);
        Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} is '{Shorten(text)}', which is not one of {allowed}",
            suggestion is null ? "Use one of the allowed values." : $"Did you mean '{suggestion}'?");
    }

    private void CheckString(JsonNode value, StringSchema type, string pointer)
    {
        if (Kind(value) != JsonValueKind.String)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be text, not {Describe(value)}", "Quote the value: YAML reads 1.10 as a number and true as a boolean.");
            return;
        }

        // Patterns are not checked: they are ECMAScript expressions from the REST specs, and often stricter than the service.
        var length = value.GetValue<string>().Length;
        if (type.MinLength is { } min && length < min)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} is {length} characters long; the catalogue allows at least {min}", null);
        }
        else if (type.MaxLength is { } max && length > max)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} is {length} characters long; the catalogue allows at most {max}", null);
        }
    }

    private void CheckNumber(JsonNode value, IntegerSchema type, string pointer)
    {
        if (Kind(value) != JsonValueKind.Number)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be a number, not {Describe(value)}",
                Kind(value) == JsonValueKind.String ? "Remove the quotes." : "Write a number.");
            return;
        }

        // Any number is accepted: the generator maps the REST spec's 'number' to integer, so kinds are not strict.
        if (!double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return;
        }

        if (type.MinValue is { } min && number < min)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} is {value.ToJsonString()}; the catalogue allows at least {min}", null);
        }
        else if (type.MaxValue is { } max && number > max)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} is {value.ToJsonString()}; the catalogue allows at most {max}", null);
        }
    }

    private void WalkArray(JsonNode value, ArraySchema type, string pointer, int depth)
    {
        if (value is not JsonArray array)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} must be a list ({type.Display}), not {Describe(value)}", "Write it as a list: [ ... ] or lines starting with '- '.");
            return;
        }

        if (type.MinLength is { } min && array.Count < min)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} has {array.Count} item(s); the catalogue needs at least {min}", null);
        }
        else if (type.MaxLength is { } max && array.Count > max)
        {
            Add(DiagnosticCodes.SchemaTypeMismatch, pointer, $"{Label(pointer)} has {array.Count} items; the catalogue allows at most {max}", null);
        }

        var item = type.Item.Type;
        for (var i = 0; i < array.Count; i++)
        {
            Walk(array[i], item, pointer + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), depth + 1);
        }
    }

    private static SchemaProperty? Find(IReadOnlyDictionary<string, SchemaProperty> properties, string key, out bool exact)
    {
        exact = true;
        if (properties.TryGetValue(key, out var property))
        {
            return property;
        }

        exact = false;
        foreach (var (name, candidate) in properties)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static JsonNode? Find(JsonObject map, string key)
    {
        if (map.TryGetPropertyValue(key, out var value))
        {
            return value;
        }

        foreach (var (name, candidate) in map)
        {
            if (string.Equals(name, key, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string Label(string pointer) => pointer.Length == 0 ? "The resource" : $"'{pointer[1..].Replace('/', '.')}'";

    private static bool IsNull(JsonNode? node) => node is null || Kind(node) == JsonValueKind.Null;

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    private static bool IsSecretPlaceholder(JsonNode? node) =>
        Kind(node) == JsonValueKind.String && node!.GetValue<string>().StartsWith(SecretReference.PlaceholderPrefix, StringComparison.Ordinal);

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a map",
        JsonArray => "a list",
        _ => Kind(node) switch
        {
            JsonValueKind.String => $"text '{Shorten(node.GetValue<string>())}'",
            JsonValueKind.Number => $"the number {node.ToJsonString()}",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {node.ToJsonString()}",
            _ => node.ToJsonString(),
        },
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private readonly record struct Finding(string Code, string Pointer, string Message, string? Hint);
}
