namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Topic names unique per call, so tests sharing a broker never collide.</summary>
public static class TopicNames
{
    private static int s_counter;

    /// <summary><paramref name="prefix"/> plus a counter and a random suffix (only [a-z0-9-]).</summary>
    public static string Unique(string prefix) =>
        $"{prefix}-{Interlocked.Increment(ref s_counter)}-{Guid.NewGuid().ToString("N")[..6]}";
}
