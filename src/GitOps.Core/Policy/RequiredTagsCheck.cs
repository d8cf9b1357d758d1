using System.Text.Json.Nodes;
using GitOps.Core.Manifests;
using GitOps.Core.Pointers;

namespace GitOps.Core.Policy;

/// <summary>
/// <c>requiredTags</c>: each listed tag must be set. Tag names are compared ignoring case (as ARM does); values
/// exactly. An empty list of values allows any value.
/// </summary>
/// <param name="Tags">Tag name to allowed values (empty: any value), in file order.</param>
public sealed record RequiredTagsCheck(IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Tags) : PolicyCheck
{
    /// <inheritdoc />
    public override string Kind => "requiredTags";

    /// <inheritdoc />
    internal override IEnumerable<PolicyFinding> Check(DeclaredResource resource)
    {
        var tags = resource.Body["tags"] as JsonObject;
        foreach (var (name, allowed) in Tags)
        {
            var declared = tags?.FirstOrDefault(t => string.Equals(t.Key, name, StringComparison.OrdinalIgnoreCase));
            if (declared?.Key is null)
            {
                yield return new PolicyFinding(
                    tags is null ? string.Empty : "/tags",
                    $"tag '{name}' is missing",
                    allowed.Count == 0
                        ? $"Add the tag: tags: {{ {name}: <value> }}."
                        : $"Add the tag with one of: {string.Join(", ", allowed)}.");
                continue;
            }

            var text = PolicyValues.Text(declared.Value.Value);
            if (allowed.Count > 0 && (text is null || !allowed.Contains(text, StringComparer.Ordinal)))
            {
                yield return new PolicyFinding(
                    "/tags/" + JsonPointer.Escape(declared.Value.Key),
                    $"tag '{declared.Value.Key}' is '{text}', which is not allowed (allowed: {string.Join(", ", allowed)})",
                    $"Set it to one of: {string.Join(", ", allowed)} (values are compared exactly).");
            }
        }
    }
}
