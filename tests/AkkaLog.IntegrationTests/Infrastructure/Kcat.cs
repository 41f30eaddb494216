namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Runs kcat (librdkafka 2.0.2) against a broker.</summary>
public static class Kcat
{
    /// <summary>Path of the kcat binary (override with KCAT).</summary>
    public static string Path => Environment.GetEnvironmentVariable("KCAT") is { Length: > 0 } p ? p : "/usr/bin/kcat";

    /// <summary>Runs <c>kcat -b broker args...</c>, feeding <paramref name="stdin"/> if given.</summary>
    public static Task<ProcessResult> RunAsync(string bootstrap, IEnumerable<string> args, string? stdin = null,
        TimeSpan? timeout = null) =>
        ProcessRunner.RunAsync(Path, ["-b", bootstrap, .. args], timeout ?? TimeSpan.FromSeconds(60), stdin);

    /// <summary>Runs kcat and throws with its output unless it exits 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string bootstrap, IEnumerable<string> args, string? stdin = null,
        TimeSpan? timeout = null)
    {
        var argList = args.ToList();
        var result = await RunAsync(bootstrap, argList, stdin, timeout);
        if (result.ExitCode != 0)
            throw new Xunit.Sdk.XunitException(result.Describe("kcat " + string.Join(' ', argList)));
        return result;
    }
}
