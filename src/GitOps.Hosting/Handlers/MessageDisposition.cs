namespace GitOps.Hosting.Handlers;

/// <summary>What the host does with a queue message after a function ran.</summary>
public enum MessageDisposition
{
    /// <summary>Delete it: the work is done (and recorded), or it was handed on.</summary>
    Complete,

    /// <summary>Make it visible again after the retry delay; past the dequeue limit it goes to the poison queue.</summary>
    Retry,

    /// <summary>It can never succeed (not a job message): move it to the poison queue now.</summary>
    Poison,
}
