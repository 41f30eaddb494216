using System.Diagnostics;

namespace AkkaLog.Cli.Tests.Infrastructure;

/// <summary>What an external program did.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>For assertion messages.</summary>
    public string Describe(string what) => $"{what}: exit {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stderr ---\n{Stderr}\n--- stdout ---\n{Stdout}";
}

/// <summary>Runs a program to completion with optional stdin and a timeout (killed at the timeout).</summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? stdin = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program exited before reading everything; its exit code says why.
        }
        bool timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                await process.WaitForExitAsync();
            }
        }
        return new ProcessResult(timedOut ? -1 : process.ExitCode, await stdout, await stderr, timedOut);
    }
}

/// <summary>kcat (librdkafka): the independent client the CLI's output is checked against.</summary>
public static class Kcat
{
    /// <summary>Runs <c>kcat -b bootstrap args</c> and fails the test unless it exits 0.</summary>
    public static async Task<ProcessResult> RunAsync(string bootstrap, IEnumerable<string> args, string? stdin = null)
    {
        var list = args.ToList();
        var result = await ProcessRunner.RunAsync(TestPaths.Kcat, ["-b", bootstrap, .. list], TimeSpan.FromSeconds(30), stdin);
        if (result.ExitCode != 0) throw new Xunit.Sdk.XunitException(result.Describe("kcat " + string.Join(' ', list)));
        return result;
    }
}
