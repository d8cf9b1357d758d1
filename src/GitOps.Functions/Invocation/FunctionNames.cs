namespace GitOps.Functions.Invocation;

/// <summary>
/// The function and binding names, as the function.json folders and bindings spell them. The host POSTs a
/// non-HTTP invocation to <c>/{function name}</c> with the trigger value under the binding name.
/// </summary>
public static class FunctionNames
{
    /// <summary>The queue-triggered reconcile function (queue <c>reconcile</c>).</summary>
    public const string Reconcile = "reconcile";

    /// <summary>The poison-queue function (queue <c>reconcile-poison</c>).</summary>
    public const string Poison = "poison";

    /// <summary>The drift timer function.</summary>
    public const string Drift = "drift";

    /// <summary>The webhook HTTP function (forwarded raw to <c>/api/webhook/{provider?}</c>).</summary>
    public const string Webhook = "webhook";

    /// <summary>The api HTTP function (forwarded raw to <c>/api/…</c>).</summary>
    public const string Api = "api";

    /// <summary>The queue-trigger binding name in reconcile/ and poison/function.json.</summary>
    public const string MessageBinding = "message";

    /// <summary>The timer-trigger binding name in drift/function.json.</summary>
    public const string TimerBinding = "timer";
}
