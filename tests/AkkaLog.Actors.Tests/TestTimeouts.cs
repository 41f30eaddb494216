namespace AkkaLog.Actors.Tests;

/// <summary>Generous limits: they only bound a hung test on a loaded machine, never pace one.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Long);

    public static Task Within(this Task task) => task.WaitAsync(Long);
}
