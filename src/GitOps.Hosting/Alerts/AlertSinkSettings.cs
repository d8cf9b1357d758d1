using GitOps.Core.Alerts;

namespace GitOps.Hosting.Alerts;

/// <summary>One configured sink (<c>GitOps__Alerts__&lt;name&gt;__*</c>).</summary>
public sealed record AlertSinkSettings
{
    /// <summary>The sink's name (recorded on runs; never its URL).</summary>
    public required string Name { get; init; }

    /// <summary>The payload format.</summary>
    public required AlertSinkType Type { get; init; }

    /// <summary>The webhook URL, resolved (it is a secret: incoming-webhook URLs carry their own credential).</summary>
    public required Uri Url { get; init; }

    /// <summary>The kinds sent to this sink; empty means all.</summary>
    public IReadOnlyList<AlertKind> Kinds { get; init; } = [];

    /// <summary>True when this sink wants alerts of the kind.</summary>
    public bool Accepts(AlertKind kind) => Kinds.Count == 0 || Kinds.Contains(kind);
}
