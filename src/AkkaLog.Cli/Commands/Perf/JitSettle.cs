namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// Waits, after a warm-up, until the JIT has stopped compiling. The runtime moves hot methods to their optimized tier
/// on a background thread; on a busy machine that thread falls behind during the warm-up, and without this wait it
/// caught up inside the measured window (100-300 ms of JIT and 300-500 methods there, measured on a 2-core machine).
/// </summary>
internal static class JitSettle
{
    /// <summary>How long the compiled-method count must stay put to count as settled.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    /// <summary>Returns once no method was compiled for <see cref="Quiet"/>, or after <paramref name="limit"/> at most.</summary>
    public static async Task WaitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + limit;
        long seen = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(Quiet, cancellationToken).ConfigureAwait(false);
            long now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == seen) return;
            seen = now;
        }
    }
}
