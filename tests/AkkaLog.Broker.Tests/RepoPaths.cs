namespace AkkaLog.Broker.Tests;

/// <summary>Finds files in the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaLog.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("AkkaLog.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
