namespace GitOps.Core.Previews;

/// <summary>How our comment on a pull request is recognised.</summary>
public static class PreviewComment
{
    /// <summary>
    /// The hidden marker at the start of our comment. Anyone can post a comment containing it, so a comment is ours only
    /// when it carries the marker <b>and</b> its author is the identity our token authenticates as.
    /// </summary>
    public const string Marker = "<!-- gitops-functions:preview -->";

    /// <summary>True when a comment's body is marked as a preview comment.</summary>
    public static bool IsMarked(string? body) => body is not null && body.StartsWith(Marker, StringComparison.Ordinal);
}
