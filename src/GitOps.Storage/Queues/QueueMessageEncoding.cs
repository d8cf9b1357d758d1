namespace GitOps.Storage.Queues;

/// <summary>How message text is stored in <c>&lt;MessageText&gt;</c>.</summary>
public enum QueueMessageEncoding
{
    /// <summary>Base64 of the UTF-8 text: the Azure Functions queue trigger's default <c>messageEncoding</c>.</summary>
    Base64,
    /// <summary>The text as is (XML-escaped). Pair with <c>"messageEncoding": "none"</c> in host.json.</summary>
    None,
}
