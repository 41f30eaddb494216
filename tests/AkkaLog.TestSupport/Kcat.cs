namespace AkkaLog.TestSupport;

/// <summary>Runs kcat (librdkafka) against a broker: the independent client our output is checked with.</summary>
public static class Kcat
{
    /// <summary>Runs <c>kcat -b bootstrap args...</c>, feeding <paramref name="stdin"/> if given.</summary>
    public static Task<ProcessResult> RunAsync(string bootstrap, IEnumerable<string> args, string? stdin = null,
        TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(TestPaths.Kcat, ["-b", bootstrap, .. args], timeout ?? TimeSpan.FromSeconds(60), stdin);

    /// <summary>Runs kcat and fails the test with its output unless it exits 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string bootstrap, IEnumerable<string> args, string? stdin = null,
        TimeSpan? timeout = null)
    {
        var argList = args.ToList();
        var result = await RunAsync(bootstrap, argList, stdin, timeout);
        if (result.ExitCode != 0)
            throw new Xunit.Sdk.XunitException(result.Describe("kcat " + string.Join(' ', argList)));
        return result;
    }

    /// <summary>Reads a whole topic from the beginning with output format <paramref name="format"/>.</summary>
    public static Task<ProcessResult> ConsumeAllAsync(string bootstrap, string topic, string format) =>
        RunCheckedAsync(bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", format]);
}
