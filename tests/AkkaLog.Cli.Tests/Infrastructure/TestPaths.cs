using System.Net;
using System.Net.Sockets;

namespace AkkaLog.Cli.Tests.Infrastructure;

/// <summary>Where the repository, the server build and kcat are, and free ports.</summary>
public static class TestPaths
{
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

    /// <summary>
    /// akkalog-server.dll (Release; override with CLI_TESTS_SERVER_DLL: not AKKALOG_..., which the
    /// server reads as its own configuration and rejects).
    /// </summary>
    public static string ServerDll =>
        Environment.GetEnvironmentVariable("CLI_TESTS_SERVER_DLL") is { Length: > 0 } overridden
            ? overridden
            : Path.Combine(Root, "src", "AkkaLog.Server", "bin", "Release", "net10.0", "akkalog-server.dll");

    /// <summary>kcat (override with KCAT).</summary>
    public static string Kcat => Environment.GetEnvironmentVariable("KCAT") is { Length: > 0 } p ? p : "/usr/bin/kcat";

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
