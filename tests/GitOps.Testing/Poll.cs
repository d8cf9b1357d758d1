namespace GitOps.Testing;

/// <summary>Polls a condition with a deadline (no bare sleeps).</summary>
public static class Poll
{
    /// <summary>Probes until <paramref name="done"/> holds; throws with the last value after <paramref name="deadline"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Timed out after {deadline} waiting for {what}; last value: {last}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds; throws after <paramref name="deadline"/>.</summary>
    public static Task UntilAsync(Func<bool> done, TimeSpan deadline, string what) =>
        UntilAsync(() => Task.FromResult(done()), d => d, deadline, what);
}
