namespace AkkaLog.TestSupport;

/// <summary>What an external program (kcat, node, npm, the CLI) did.</summary>
/// <param name="ExitCode">Exit code, or -1 if it was killed on timeout.</param>
/// <param name="Stdout">Everything it wrote to stdout.</param>
/// <param name="Stderr">Everything it wrote to stderr.</param>
/// <param name="TimedOut">True if it ran past its timeout and was killed.</param>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>Stdout split into lines, without the empty line after a final newline.</summary>
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    /// <summary>A description for assertion messages (stderr and stdout tails).</summary>
    public string Describe(string what) =>
        $"{what}: exit {ExitCode}{(TimedOut ? " (timed out, killed)" : "")}\n--- stderr (tail) ---\n{Tail(Stderr, 1500)}\n--- stdout (tail) ---\n{Tail(Stdout, 2000)}";

    private static string Tail(string s, int max) => s.Length <= max ? s : "..." + s[^max..];
}
