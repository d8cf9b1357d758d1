namespace GitOps.Core.Runs;

/// <summary>What a job's run covers.</summary>
public enum JobScope
{
    /// <summary>The whole environment (every job but the event-driven ones).</summary>
    Environment,

    /// <summary>
    /// The resources named by the ARM events waiting in the environment's change inbox (a drift job made by the event
    /// handler); the run reads the inbox when it starts, so events that arrive meanwhile fold into it or the next one.
    /// </summary>
    Events,
}
