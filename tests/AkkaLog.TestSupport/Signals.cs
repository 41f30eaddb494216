using System.Diagnostics;

namespace AkkaLog.TestSupport;

/// <summary>Graceful stops for processes the tests started.</summary>
public static class Signals
{
    /// <summary>
    /// Sends SIGTERM and waits up to <paramref name="timeout"/> for the exit; false if it did not exit
    /// in time (the caller decides whether to kill it and what to report).
    /// </summary>
    public static async Task<bool> TerminateAsync(Process process, TimeSpan timeout)
    {
        if (process.HasExited) return true;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])!) await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
