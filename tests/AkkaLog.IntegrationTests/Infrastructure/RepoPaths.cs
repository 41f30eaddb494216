namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Where the repository, the server build and the compat scripts live, seen from the test binaries.</summary>
public static class RepoPaths
{
    /// <summary>The configuration these tests were built in; the server must be built the same way.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The directory holding AkkaLog.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>
    /// akkalog-server.dll of the same configuration (override with AKKALOG_SERVER_DLL). Build it with
    /// <c>dotnet build src/AkkaLog.Server -c Release</c>; this project does not reference the server.
    /// </summary>
    public static string ServerDll =>
        Environment.GetEnvironmentVariable("AKKALOG_SERVER_DLL") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(Root, "src", "AkkaLog.Server", "bin", Configuration, "net10.0", "akkalog-server.dll");

    /// <summary>The kafkajs compatibility scripts.</summary>
    public static string KafkajsDir => Path.Combine(Root, "tests", "compat", "kafkajs");

    /// <summary>Broker logs are kept here after the run (data dirs are deleted).</summary>
    public static string BrokerLogDir
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "broker-logs");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AkkaLog.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"AkkaLog.sln not found above {AppContext.BaseDirectory}");
    }
}
