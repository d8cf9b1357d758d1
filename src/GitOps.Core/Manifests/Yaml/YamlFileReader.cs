using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GitOps.Core.Manifests.Yaml;

/// <summary>
/// Reads a YAML file into positioned nodes from YamlDotNet's low-level parser events. Building the tree here (not with
/// YamlDotNet's deserializer) is what lets aliases be counted by their expanded size before anything is expanded: a
/// "billion laughs" file is refused after reading a few hundred bytes, with a few kilobytes of memory.
/// </summary>
internal static partial class YamlFileReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses every document of a file. Problems are added to <paramref name="diagnostics"/>; reading stops at the first
    /// syntax error or limit, and the documents completed before it are returned.
    /// </summary>
    public static IReadOnlyList<YamlDocument> Read(
        string file, ReadOnlyMemory<byte> content, ManifestLimits limits, ICollection<Diagnostic> diagnostics)
    {
        string text;
        try
        {
            var bytes = content.Span;
            if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
            {
                bytes = bytes[3..];
            }

            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Add(Diagnostic.Error(
                DiagnosticCodes.YamlSyntax,
                SourceLocation.OfFile(file),
                $"'{file}' is not valid UTF-8 text.",
                "Save the file as UTF-8."));
            return [];
        }

        var builder = new Builder(file, limits);
        Diagnostic? stop = null;
        try
        {
            builder.ReadStream(new Parser(new StringReader(text)));
        }
        catch (YamlException e)
        {
            stop = Diagnostic.Error(
                DiagnosticCodes.YamlSyntax,
                ToLocation(file, e.Start),
                $"YAML syntax error: {StripMarks(e.Message)}",
                LineAt(text, e.Start.Line).Contains("${{", StringComparison.Ordinal)
                    ? "Quote the value: inside [ ] or { } the braces of '${{ ... }}' end the collection (write '${{ vars.x }}' in quotes)."
                    : "Fix the YAML at this position (check indentation, quotes and ':' after keys).");
        }
        catch (ReadAbortedException e)
        {
            stop = e.Diagnostic;
        }

        // In file order: what was found while reading comes before what stopped the reading.
        foreach (var diagnostic in builder.Diagnostics)
        {
            diagnostics.Add(diagnostic);
        }

        if (stop is not null)
        {
            diagnostics.Add(stop);
        }

        return builder.Documents;
    }

    private static string LineAt(string text, long line)
    {
        var start = 0;
        for (var current = 1L; current < line; current++)
        {
            start = text.IndexOf('\n', start) + 1;
            if (start == 0)
            {
                return string.Empty;
            }
        }

        var end = text.IndexOf('\n', start);
        return end < 0 ? text[start..] : text[start..end];
    }

    private static SourceLocation ToLocation(string file, Mark mark) =>
        new(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; our location says it already.
    private static string StripMarks(string message) => MarkPrefix().Replace(message, string.Empty).Trim();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex MarkPrefix();

    private sealed class ReadAbortedException(Diagnostic diagnostic) : Exception(diagnostic.Message)
    {
        public Diagnostic Diagnostic { get; } = diagnostic;
    }

    private sealed class Builder(string file, ManifestLimits limits)
    {
        private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
        private readonly Stack<Frame> _open = new();
        private long _nodes;
        private Mark _lastEnd = Mark.Empty;
        private int _documentCount;
        private YamlNode? _root;

        public List<YamlDocument> Documents { get; } = [];

        public List<Diagnostic> Diagnostics { get; } = [];

        public void ReadStream(IParser parser)
        {
            while (MoveNext(parser))
            {
                switch (parser.Current)
                {
                    case DocumentStart start:
                        if (++_documentCount > limits.MaxDocumentsPerFile)
                        {
                            throw Abort(start.Start, $"'{file}' holds more than {limits.MaxDocumentsPerFile} YAML documents.",
                                "Split the file into several files.");
                        }

                        // Anchors are scoped to their document.
                        _anchors.Clear();
                        _root = null;
                        ReadDocument(parser);

                        // The root's position, not the '---' line: that is where the user's content begins.
                        if (_root is not null)
                        {
                            Documents.Add(new YamlDocument(_root, _root.Location));
                        }

                        break;
                }
            }
        }

        private void ReadDocument(IParser parser)
        {
            while (MoveNext(parser))
            {
                switch (parser.Current)
                {
                    case DocumentEnd:
                        return;
                    case Scalar scalar:
                        Count(scalar.Start, 1);
                        var node = new YamlScalar(
                            ToLocation(file, scalar.Start), TagOf(scalar.Tag), scalar.Value, scalar.Style,
                            scalar.Start.Line == scalar.End.Line);
                        Remember(scalar.Anchor, node);
                        Add(node);
                        break;
                    case AnchorAlias alias:
                        if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            throw Abort(alias.Start, $"Alias '*{alias.Value.Value}' refers to no anchor defined before it.",
                                $"Define '&{alias.Value.Value}' earlier in the same document (an alias cannot point into a node that contains it).",
                                DiagnosticCodes.YamlSyntax);
                        }

                        if (_open.Count + target.Height > limits.MaxDepth)
                        {
                            throw DepthExceeded(alias.Start);
                        }

                        Count(alias.Start, target.ExpandedCount);
                        Add(target);
                        break;
                    case SequenceStart sequence:
                        Open(sequence.Start, new YamlList(ToLocation(file, sequence.Start), TagOf(sequence.Tag)), sequence.Anchor);
                        break;
                    case MappingStart mapping:
                        Open(mapping.Start, new YamlMap(ToLocation(file, mapping.Start), TagOf(mapping.Tag)), mapping.Anchor);
                        break;
                    case SequenceEnd or MappingEnd:
                        var frame = _open.Pop();
                        if (frame.Node is YamlMap && frame.PendingKey is not null)
                        {
                            throw Abort(parser.Current.Start, "A map key has no value.", "Add a value after the key.",
                                DiagnosticCodes.YamlSyntax);
                        }

                        // Registered only now, so an alias inside the node it names cannot make a cycle.
                        Remember(frame.Anchor, frame.Node);
                        Add(frame.Node);
                        break;
                }
            }
        }

        private bool MoveNext(IParser parser)
        {
            try
            {
                var moved = parser.MoveNext();
                if (moved)
                {
                    _lastEnd = parser.Current!.End;
                }

                return moved;
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
            {
                // Some malformed inputs make YamlDotNet's scanner fail without a position; report it after the last
                // thing read, which is where the input stopped making sense.
                throw Abort(_lastEnd, "YAML syntax error after this point: the file cannot be read further (an unclosed '[', '{' or quote?).",
                    "Check brackets, braces and quotes from here on.", DiagnosticCodes.YamlSyntax);
            }
        }

        private void Open(Mark start, YamlNode node, AnchorName anchor)
        {
            if (_open.Count + 1 > limits.MaxDepth)
            {
                throw DepthExceeded(start);
            }

            Count(start, 1);
            _open.Push(new Frame(node, anchor));
        }

        private void Add(YamlNode node)
        {
            if (_open.Count == 0)
            {
                _root = node;
                return;
            }

            var parent = _open.Peek();
            parent.Node.ExpandedCount += node.ExpandedCount;
            parent.Node.Height = Math.Max(parent.Node.Height, node.Height + 1);
            switch (parent.Node)
            {
                case YamlList list:
                    list.Items.Add(node);
                    break;
                case YamlMap when parent.PendingKey is null:
                    if (node is not YamlScalar key)
                    {
                        Diagnostics.Add(Diagnostic.Error(
                            DiagnosticCodes.InvalidValue, node.Location,
                            $"A map key must be text, not a {node.Kind}.", "Write the key as plain text."));
                        parent.PendingKey = new YamlScalar(node.Location, null, string.Empty, ScalarStyle.Plain, true);
                        parent.SkipValue = true;
                        break;
                    }

                    parent.PendingKey = key;
                    parent.Keys ??= new Dictionary<string, YamlScalar>(StringComparer.Ordinal);
                    if (!parent.Keys.TryAdd(key.Value, key))
                    {
                        var first = parent.Keys[key.Value];
                        Diagnostics.Add(Diagnostic.Error(
                            DiagnosticCodes.YamlSyntax, key.Location,
                            $"Duplicate key '{key.Value}' in a map; it is first written at {first.Location}.",
                            "Keep only one of them: YAML keys must be unique."));
                        parent.SkipValue = true;
                    }
                    else if (key.Value == "<<" && key.IsPlain)
                    {
                        Diagnostics.Add(Diagnostic.Error(
                            DiagnosticCodes.InvalidValue, key.Location,
                            "Merge keys ('<<') are not supported (they are not part of YAML 1.2).",
                            "Write the fields out, or use an alias ('*name') for a whole value."));
                        parent.SkipValue = true;
                    }

                    break;
                case YamlMap map:
                    if (!parent.SkipValue)
                    {
                        map.Entries.Add(new(parent.PendingKey, node));
                    }

                    parent.PendingKey = null;
                    parent.SkipValue = false;
                    break;
            }
        }

        private void Remember(AnchorName anchor, YamlNode node)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = node;
            }
        }

        private void Count(Mark at, long nodes)
        {
            _nodes += nodes;
            if (_nodes > limits.MaxNodesPerFile)
            {
                throw Abort(at,
                    $"'{file}' expands to more than {limits.MaxNodesPerFile} YAML nodes once aliases are resolved.",
                    "Remove the nested aliases (this is how a \"billion laughs\" file looks) or split the file.");
            }
        }

        private ReadAbortedException DepthExceeded(Mark at) =>
            Abort(at, $"'{file}' nests maps and lists more than {limits.MaxDepth} levels deep.",
                "Flatten the structure; ARM bodies are never this deep.");

        private ReadAbortedException Abort(Mark at, string message, string hint, string code = DiagnosticCodes.LimitExceeded) =>
            new(Diagnostic.Error(code, ToLocation(file, at), message, hint));

        private static string? TagOf(TagName tag) => tag.IsEmpty ? null : tag.Value;

        private sealed class Frame(YamlNode node, AnchorName anchor)
        {
            public YamlNode Node { get; } = node;

            public AnchorName Anchor { get; } = anchor;

            public YamlScalar? PendingKey { get; set; }

            public bool SkipValue { get; set; }

            // A set, not a scan of the entries: a map with many keys must not cost quadratic time.
            public Dictionary<string, YamlScalar>? Keys { get; set; }
        }
    }
}
