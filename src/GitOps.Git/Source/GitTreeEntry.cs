using System.Globalization;
using System.Text;

namespace GitOps.Git.Source;

/// <summary>One line of <c>git ls-tree -r -l -z</c>: <c>&lt;mode&gt; SP &lt;type&gt; SP &lt;object&gt; SP+ &lt;size&gt; TAB &lt;path&gt; NUL</c>.</summary>
internal sealed record GitTreeEntry(string Mode, string Type, string ObjectId, long? Size, string Path)
{
    /// <summary>The mode git uses for symbolic links.</summary>
    public const string SymlinkMode = "120000";

    /// <summary>The mode git uses for submodules (gitlinks).</summary>
    public const string SubmoduleMode = "160000";

    /// <summary>Parses the whole NUL-separated output.</summary>
    public static List<GitTreeEntry> ParseAll(byte[] output)
    {
        var entries = new List<GitTreeEntry>();
        var start = 0;
        while (start < output.Length)
        {
            var end = Array.IndexOf(output, (byte)0, start);
            if (end < 0)
            {
                end = output.Length;
            }

            if (end > start)
            {
                entries.Add(Parse(Encoding.UTF8.GetString(output, start, end - start)));
            }

            start = end + 1;
        }

        return entries;
    }

    private static GitTreeEntry Parse(string line)
    {
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        if (tab < 0)
        {
            throw new GitSourceException(GitErrorKind.GitFailed, "Unexpected output from git ls-tree (no tab).");
        }

        var fields = line[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 4)
        {
            throw new GitSourceException(GitErrorKind.GitFailed, "Unexpected output from git ls-tree (expected mode, type, object and size).");
        }

        long? size = long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return new GitTreeEntry(fields[0], fields[1], fields[2], size, line[(tab + 1)..]);
    }
}
