using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GitOps.Core.Manifests.Yaml;

/// <summary>
/// Types scalars by the YAML 1.2 core schema: only <c>true</c>/<c>false</c> are booleans (no YAML 1.1 "Norway
/// problem": <c>no</c>, <c>on</c>, <c>y</c> stay text), <c>null</c>/<c>~</c>/empty are null, integers become
/// <see cref="long"/> (else <see cref="decimal"/>), floats become numbers, and quoted or block scalars are always text.
/// </summary>
internal static partial class YamlCoreSchema
{
    public const string StrTag = "tag:yaml.org,2002:str";
    public const string IntTag = "tag:yaml.org,2002:int";
    public const string FloatTag = "tag:yaml.org,2002:float";
    public const string BoolTag = "tag:yaml.org,2002:bool";
    public const string NullTag = "tag:yaml.org,2002:null";
    public const string MapTag = "tag:yaml.org,2002:map";
    public const string SeqTag = "tag:yaml.org,2002:seq";

    /// <summary>True when the scalar is a YAML null (untagged plain <c>null</c>, <c>~</c> or nothing).</summary>
    public static bool IsNull(YamlScalar scalar) =>
        (scalar.Tag is null && scalar.IsPlain && IsNullText(scalar.Value)) || scalar.Tag == NullTag;

    /// <summary>Types a scalar; returns false with a reason when the value cannot be represented in JSON.</summary>
    public static bool TryType(YamlScalar scalar, string text, out JsonNode? value, out string? error)
    {
        error = null;
        switch (scalar.Tag)
        {
            case null or "?":
                if (scalar.IsPlain)
                {
                    return TryResolvePlain(text, out value, out error);
                }

                value = JsonValue.Create(text);
                return true;
            case "!" or StrTag:
                value = JsonValue.Create(text);
                return true;
            case NullTag when IsNullText(text):
                value = null;
                return true;
            case BoolTag when TryBool(text, out var flag):
                value = JsonValue.Create(flag);
                return true;
            case IntTag when TryInt(text, out value, out error):
                return true;
            case FloatTag when TryFloat(text, out value, out error) || TryInt(text, out value, out error):
                return true;
            case NullTag or BoolTag or IntTag or FloatTag:
                value = null;
                error ??= $"'{text}' is not a valid {scalar.Tag[(scalar.Tag.LastIndexOf(':') + 1)..]}.";
                return false;
            default:
                value = null;
                error = $"The tag '{scalar.Tag}' is not supported; only the YAML 1.2 core tags (!!str, !!int, !!float, !!bool, !!null) are.";
                return false;
        }
    }

    /// <summary>Resolves the type of plain text by the core schema.</summary>
    public static bool TryResolvePlain(string text, out JsonNode? value, out string? error)
    {
        error = null;
        if (IsNullText(text))
        {
            value = null;
            return true;
        }

        if (TryBool(text, out var flag))
        {
            value = JsonValue.Create(flag);
            return true;
        }

        if (IntPattern().IsMatch(text) || OctalPattern().IsMatch(text) || HexPattern().IsMatch(text))
        {
            return TryInt(text, out value, out error);
        }

        if (FloatPattern().IsMatch(text) || SpecialFloatPattern().IsMatch(text))
        {
            return TryFloat(text, out value, out error);
        }

        value = JsonValue.Create(text);
        return true;
    }

    private static bool IsNullText(string text) => text is "" or "~" or "null" or "Null" or "NULL";

    private static bool TryBool(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    private static bool TryInt(string text, out JsonNode? value, out string? error)
    {
        error = null;
        value = null;
        try
        {
            if (OctalPattern().IsMatch(text))
            {
                value = JsonValue.Create(Convert.ToInt64(text[2..], 8));
                return true;
            }

            if (HexPattern().IsMatch(text))
            {
                value = JsonValue.Create(long.Parse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                return true;
            }
        }
        catch (Exception e) when (e is OverflowException or FormatException)
        {
            error = $"The number '{text}' is too large.";
            return false;
        }

        if (!IntPattern().IsMatch(text))
        {
            error = $"'{text}' is not an integer.";
            return false;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            value = JsonValue.Create(number);
            return true;
        }

        if (decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
        {
            value = JsonValue.Create(big);
            return true;
        }

        error = $"The number '{text}' is too large.";
        return false;
    }

    private static bool TryFloat(string text, out JsonNode? value, out string? error)
    {
        value = null;
        if (SpecialFloatPattern().IsMatch(text))
        {
            error = $"'{text}' (infinity or not-a-number) cannot be written in JSON.";
            return false;
        }

        if (FloatPattern().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
        {
            error = null;
            value = JsonValue.Create(number);
            return true;
        }

        error = $"'{text}' is not a number JSON can hold.";
        return false;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^0o[0-7]+$")]
    private static partial Regex OctalPattern();

    [GeneratedRegex(@"^0x[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex SpecialFloatPattern();
}
