using System.Diagnostics;

namespace AkkaLog.Client.Tests.Infrastructure;

/// <summary>What an external program did.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>Stdout lines without the empty line after a final newline.</summary>
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>For assertion messages.</summary>
    public string Describe(string what) =>
        $"{what}: exit {ExitCode}{(TimedOut ? " (timed out)" : "")}\n--- stderr ---\n{Tail(Stderr)}\n--- stdout ---\n{Tail(Stdout)}";

    private static string Tail(string s) => s.Length <= 2000 ? s : "..." + s[^2000..];
}

/// <summary>Runs a program to completion with optional stdin and a timeout (killed at the timeout).</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>.</summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, string? stdin = null,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
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

/// <summary>kcat (librdkafka) against a broker: the independent client our output is checked with.</summary>
public static class Kcat
{
    /// <summary>Runs <c>kcat -b bootstrap args</c> and fails the test unless it exits 0.</summary>
    public static async Task<ProcessResult> RunAsync(string bootstrap, IEnumerable<string> args, string? stdin = null)
    {
        var list = args.ToList();
        var result = await ProcessRunner.RunAsync(TestPaths.Kcat, ["-b", bootstrap, .. list], TimeSpan.FromSeconds(60), stdin);
        if (result.ExitCode != 0) throw new Xunit.Sdk.XunitException(result.Describe("kcat " + string.Join(' ', list)));
        return result;
    }

    /// <summary>Reads a whole topic from the beginning with format <paramref name="format"/>.</summary>
    public static Task<ProcessResult> ConsumeAllAsync(string bootstrap, string topic, string format) =>
        RunAsync(bootstrap, ["-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", format]);
}

/// <summary>The kafkajs scripts in tests/compat/kafkajs, installed with <c>npm ci</c> once if node_modules is missing.</summary>
public static class Kafkajs
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Directory => Path.Combine(TestPaths.Root, "tests", "compat", "kafkajs");

    /// <summary>Runs <c>node script</c> with BROKER and <paramref name="environment"/> set; fails the test unless it exits 0.</summary>
    public static async Task<ProcessResult> RunAsync(string script, string bootstrap, IReadOnlyDictionary<string, string> environment)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "kafkajs")))
            {
                var install = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5), workingDirectory: Directory);
                if (install.ExitCode != 0) throw new Xunit.Sdk.XunitException(install.Describe("npm ci"));
            }
        }
        finally
        {
            InstallLock.Release();
        }
        var env = new Dictionary<string, string>(environment) { ["BROKER"] = bootstrap, ["KAFKAJS_NO_PARTITIONER_WARNING"] = "1" };
        var result = await ProcessRunner.RunAsync("node", [script], TimeSpan.FromMinutes(2), workingDirectory: Directory, environment: env);
        if (result.ExitCode != 0) throw new Xunit.Sdk.XunitException(result.Describe("node " + script));
        return result;
    }
}
