using System.Diagnostics;
using System.Diagnostics.Metrics;
using GitOps.Core.Runs;

namespace GitOps.Core.Telemetry;

/// <summary>
/// The reconciler's traces and metrics, on <see cref="System.Diagnostics"/> only, so the engine needs no telemetry
/// package and each host chooses its exporter (Application Insights / Azure Monitor for the worker, OTLP or a
/// Prometheus scrape for <c>gitops serve</c>). One trace per run (<see cref="RunActivity"/>) with a span per step.
/// </summary>
/// <remarks>
/// Attributes carry names, ids, commits, counts and outcomes only: never a setting's value, a token, a secret, a
/// resource body or an error message (which may quote ARM's answer).
/// </remarks>
public static class GitOpsTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> and <see cref="Meter"/> name to subscribe to.</summary>
    public const string Name = "GitOps";

    /// <summary>The run's root span.</summary>
    public const string RunActivity = "gitops.run";

    /// <summary>Attribute: the environment key (<c>repository/environment</c>).</summary>
    public const string EnvironmentTag = "gitops.environment";

    /// <summary>Attribute: push, drift, manual, rollback.</summary>
    public const string TriggerTag = "gitops.trigger";

    /// <summary>Attribute: the run's outcome.</summary>
    public const string OutcomeTag = "gitops.outcome";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter s_meter = new(Name);
    private static readonly Counter<long> s_runs = s_meter.CreateCounter<long>("gitops.runs", "{run}", "Recorded runs, by outcome and trigger.");
    private static readonly Histogram<double> s_runDuration = s_meter.CreateHistogram<double>("gitops.run.duration", "s", "Wall time of a recorded run, by outcome.");
    private static readonly Counter<long> s_drifted = s_meter.CreateCounter<long>("gitops.drifted_resources", "{resource}", "Resources whose live state differed from git, per run that observed them.");
    private static readonly Histogram<double> s_throttleWait = s_meter.CreateHistogram<double>("gitops.arm.throttle_wait", "s", "Waits ARM throttling imposed: Retry-After before a job runs again.");
    private static readonly Counter<long> s_events = s_meter.CreateCounter<long>("gitops.events", "{event}", "ARM events handled, by outcome: queued, own, unmanaged or refused.");
    private static readonly Histogram<double> s_queueAge = s_meter.CreateHistogram<double>("gitops.queue.age", "s", "How long a job waited in the queue before a worker took it.");

    /// <summary>Starts a span for one step of a run (a child of the run's span), or null when nobody listens.</summary>
    /// <param name="step">fetch, window, claim, load, policy, scope, secrets, observe, health, plan, apply or record.</param>
    internal static Activity? StartStep(string step) => Source.StartActivity("gitops." + step);

    /// <summary>Starts the run's root span.</summary>
    internal static Activity? StartRun(ReconcileJob job, int attempt)
    {
        var activity = Source.StartActivity(RunActivity, ActivityKind.Internal);
        activity?.SetTag(EnvironmentTag, job.EnvironmentKey);
        activity?.SetTag(TriggerTag, TriggerName(job.Trigger));
        activity?.SetTag("gitops.job_id", job.JobId);
        activity?.SetTag("gitops.attempt", attempt);
        return activity;
    }

    /// <summary>Records a job taken from the queue: its age since it was enqueued.</summary>
    internal static void JobTaken(ReconcileJob job, DateTimeOffset now) =>
        s_queueAge.Record(Math.Max(0, (now - job.EnqueuedAt).TotalSeconds), new KeyValuePair<string, object?>(TriggerTag, TriggerName(job.Trigger)));

    /// <summary>Records a finished run on its span and in the metrics.</summary>
    internal static void RunRecorded(Activity? activity, RunRecord run, int drifted)
    {
        var outcome = new KeyValuePair<string, object?>(OutcomeTag, OutcomeName(run.Outcome));
        var trigger = new KeyValuePair<string, object?>(TriggerTag, TriggerName(run.Trigger));
        s_runs.Add(1, outcome, trigger);
        if (run.FinishedAt is { } finished)
        {
            s_runDuration.Record(Math.Max(0, (finished - run.StartedAt).TotalSeconds), outcome, trigger);
        }

        if (drifted > 0)
        {
            s_drifted.Add(drifted, new KeyValuePair<string, object?>(EnvironmentTag, run.EnvironmentKey));
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag(OutcomeTag, OutcomeName(run.Outcome));
        activity.SetTag("gitops.run_id", run.RunId);
        activity.SetTag("gitops.commit", run.Commit?.Sha);
        activity.SetTag("gitops.drifted_resources", drifted);
        if (run.Outcome.IsProblem())
        {
            // The reason is a condition constant, never a message.
            activity.SetStatus(ActivityStatusCode.Error, run.Reason);
        }
    }

    /// <summary>Counts one ARM event handled (<c>gitops.events</c>).</summary>
    /// <param name="outcome">queued (for a drift check), own (the reconciler's own write), unmanaged (no environment manages it) or refused (malformed, to the poison queue).</param>
    public static void EventHandled(string outcome) =>
        s_events.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));

    /// <summary>Records a wait ARM asked for before a job may run again.</summary>
    internal static void ThrottleWait(TimeSpan wait, string environmentKey) =>
        s_throttleWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(EnvironmentTag, environmentKey));

    private static string TriggerName(RunTrigger trigger) => trigger.ToString().ToLowerInvariant();

    private static string OutcomeName(RunOutcome outcome) => outcome.ToString().ToLowerInvariant();
}
