using System.Net;
using System.Net.Sockets;

namespace AkkaLog.Client.Tests.Infrastructure;

/// <summary>Where the repository and the server build are, seen from the test binaries, and free ports.</summary>
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

    /// <summary>akkalog-server.dll (Release; override with AKKALOG_SERVER_DLL).</summary>
    public static string ServerDll =>
        Environment.GetEnvironmentVariable("AKKALOG_SERVER_DLL") is { Length: > 0 } overridden
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
