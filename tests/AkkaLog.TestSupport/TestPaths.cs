using System.Net;
using System.Net.Sockets;

namespace AkkaLog.TestSupport;

/// <summary>Where the repository, the server build and external tools are, seen from the test binaries; free ports.</summary>
public static class TestPaths
{
    /// <summary>The configuration these tests were built in; the server must be built the same way.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AkkaLog.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"AkkaLog.sln not found above {AppContext.BaseDirectory}");
    });

    /// <summary>The directory holding AkkaLog.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>akkalog-server.dll of the tests' configuration (override with AKKALOG_SERVER_DLL).</summary>
    public static string ServerDll =>
        Environment.GetEnvironmentVariable("AKKALOG_SERVER_DLL") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(Root, "src", "AkkaLog.Server", "bin", Configuration, "net10.0", "akkalog-server.dll");

    /// <summary>kcat (override with KCAT).</summary>
    public static string Kcat => Environment.GetEnvironmentVariable("KCAT") is { Length: > 0 } p ? p : "/usr/bin/kcat";

    /// <summary>The kafkajs compatibility scripts.</summary>
    public static string KafkajsDir => Path.Combine(Root, "tests", "compat", "kafkajs");

    /// <summary>Process logs (brokers, etcd) are kept here after the run; data dirs are deleted.</summary>
    public static string LogDir
    {
        get
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "broker-logs");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    /// <summary>A loopback port that was free a moment ago (another process may still take it; rare enough for tests).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
