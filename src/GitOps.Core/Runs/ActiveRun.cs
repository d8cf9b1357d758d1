namespace GitOps.Core.Runs;

/// <summary>The claim a run writes into the environment state when it starts (see <see cref="EnvironmentState.ActiveRun"/>).</summary>
/// <param name="RunId">The run.</param>
/// <param name="JobId">The job it runs.</param>
/// <param name="StartedAt">When it started.</param>
public sealed record ActiveRun(string RunId, string JobId, DateTimeOffset StartedAt);
