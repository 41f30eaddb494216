namespace AkkaLog.TestSupport;

/// <summary>Runs the kafkajs scripts in tests/compat/kafkajs, installing node_modules with <c>npm ci</c> once if missing.</summary>
public static class Kafkajs
{
    private static readonly SemaphoreSlim s_installLock = new(1, 1);

    /// <summary>Runs <c>npm ci</c> unless tests/compat/kafkajs/node_modules/kafkajs exists.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await s_installLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(TestPaths.KafkajsDir, "node_modules", "kafkajs"))) return;
            var result = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5),
                workingDirectory: TestPaths.KafkajsDir);
            if (result.ExitCode != 0) throw new Xunit.Sdk.XunitException(result.Describe("npm ci"));
        }
        finally
        {
            s_installLock.Release();
        }
    }

    /// <summary>Runs <c>node script</c> with BROKER (and any extra variables) set; returns whatever it did.</summary>
    public static async Task<ProcessResult> RunScriptAsync(string script, string bootstrap,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        await EnsureInstalledAsync();
        var env = new Dictionary<string, string> { ["BROKER"] = bootstrap, ["KAFKAJS_NO_PARTITIONER_WARNING"] = "1" };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) env[k] = v;
        return await ProcessRunner.RunAsync("node", [script], timeout ?? TimeSpan.FromMinutes(2),
            workingDirectory: TestPaths.KafkajsDir, environment: env);
    }

    /// <summary>Like <see cref="RunScriptAsync"/>, but fails the test unless the script exits 0.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string script, string bootstrap,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var result = await RunScriptAsync(script, bootstrap, environment, timeout);
        if (result.ExitCode != 0) throw new Xunit.Sdk.XunitException(result.Describe("node " + script));
        return result;
    }
}
