namespace GitOps.Core.Ports;

/// <summary>
/// The <see cref="ArmCaller"/> of the current asynchronous flow. A run enters its caller once at its start; every ARM
/// request it makes, however deep in the engine, is then scheduled as that caller's without each port passing it on.
/// </summary>
public static class ArmCallContext
{
    private static readonly AsyncLocal<ArmCaller?> Caller = new();

    /// <summary>The caller of the current flow, or null outside any run.</summary>
    public static ArmCaller? Current => Caller.Value;

    /// <summary>Makes <paramref name="caller"/> the caller of this flow (and of the tasks it starts) until disposed.</summary>
    /// <param name="caller">The caller.</param>
    /// <returns>Restores the previous caller when disposed.</returns>
    public static IDisposable Enter(ArmCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var previous = Caller.Value;
        Caller.Value = caller;
        return new Scope(previous);
    }

    private sealed class Scope(ArmCaller? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Caller.Value = previous;
            }
        }
    }
}
