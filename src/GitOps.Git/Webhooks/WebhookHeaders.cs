namespace GitOps.Git.Webhooks;

/// <summary>Request headers looked up case-insensitively; the first value of a repeated header wins.</summary>
internal sealed class WebhookHeaders
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public WebhookHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            _values.TryAdd(name.Trim(), value ?? string.Empty);
        }
    }

    /// <summary>The header value (trimmed), or null when absent.</summary>
    public string? Get(string name) => _values.TryGetValue(name, out var value) ? value.Trim() : null;

    /// <summary>True when the header is present (even if empty).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The first header among <paramref name="names"/> that is present and not empty.</summary>
    public string? First(params string[] names) =>
        names.Select(Get).FirstOrDefault(v => !string.IsNullOrEmpty(v));
}
