using YamlDotNet.Core;

namespace GitOps.Core.Manifests.Yaml;

/// <summary>
/// A YAML node with the place it was written. Built by <see cref="YamlFileReader"/> from parser events rather than
/// YamlDotNet's representation model, so aliases share one node (no copy) and their expanded size is known up front.
/// </summary>
internal abstract class YamlNode
{
    protected YamlNode(SourceLocation location, string? tag)
    {
        Location = location;
        Tag = tag;
    }

    /// <summary>Where the node starts.</summary>
    public SourceLocation Location { get; }

    /// <summary>The explicit tag (<c>tag:yaml.org,2002:str</c>, <c>!</c>), or null when untagged.</summary>
    public string? Tag { get; }

    /// <summary>How many nodes this one stands for once every alias below it is expanded (itself included).</summary>
    public long ExpandedCount { get; set; } = 1;

    /// <summary>Levels of map/list nesting in this node (0 for a scalar).</summary>
    public int Height { get; set; }

    /// <summary>A short word for messages: "text", "map" or "list".</summary>
    public abstract string Kind { get; }
}

/// <summary>A scalar: its text exactly as written, and how it was written (plain or quoted decides its type).</summary>
internal sealed class YamlScalar(SourceLocation location, string? tag, string value, ScalarStyle style, bool isSingleLine)
    : YamlNode(location, tag)
{
    /// <summary>The scalar's text after YAML unescaping/folding.</summary>
    public string Value { get; } = value;

    /// <summary>Plain, quoted, literal or folded.</summary>
    public ScalarStyle Style { get; } = style;

    /// <summary>True when the scalar sits on one line, so a column inside it can be computed.</summary>
    public bool IsSingleLine { get; } = isSingleLine;

    /// <summary>True for plain (unquoted) scalars: only these are typed as numbers, booleans or null.</summary>
    public bool IsPlain => Style is ScalarStyle.Plain or ScalarStyle.Any;

    /// <inheritdoc />
    public override string Kind => "text";

    /// <summary>The location of a character of <see cref="Value"/>, exact for one-line plain and quoted scalars.</summary>
    public SourceLocation LocationAt(int offset)
    {
        if (!IsSingleLine)
        {
            return Location;
        }

        var quote = Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        return Location with { Column = Location.Column + quote + offset };
    }
}

/// <summary>A map. Keys are scalars and unique (the reader refuses duplicates).</summary>
internal sealed class YamlMap(SourceLocation location, string? tag) : YamlNode(location, tag)
{
    /// <summary>The entries in document order.</summary>
    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];

    /// <inheritdoc />
    public override string Kind => "map";

    /// <summary>Finds an entry by key (ordinal).</summary>
    public bool TryGet(string key, out YamlScalar keyNode, out YamlNode value)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                keyNode = entry.Key;
                value = entry.Value;
                return true;
            }
        }

        keyNode = null!;
        value = null!;
        return false;
    }
}

/// <summary>A list.</summary>
internal sealed class YamlList(SourceLocation location, string? tag) : YamlNode(location, tag)
{
    /// <summary>The items in document order.</summary>
    public List<YamlNode> Items { get; } = [];

    /// <inheritdoc />
    public override string Kind => "list";
}

/// <summary>One document of a YAML stream.</summary>
/// <param name="Root">The root node.</param>
/// <param name="Location">Where the document starts.</param>
internal sealed record YamlDocument(YamlNode Root, SourceLocation Location);
