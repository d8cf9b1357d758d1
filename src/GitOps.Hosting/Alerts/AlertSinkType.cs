namespace GitOps.Hosting.Alerts;

/// <summary>The payload format a sink speaks.</summary>
public enum AlertSinkType
{
    /// <summary>A generic JSON document (<see cref="AlertPayloads.Webhook"/>).</summary>
    Webhook,

    /// <summary>A Microsoft Teams incoming webhook (Workflows): a message with one Adaptive Card.</summary>
    Teams,

    /// <summary>A Slack incoming webhook: <c>text</c> plus Block Kit blocks.</summary>
    Slack,
}
