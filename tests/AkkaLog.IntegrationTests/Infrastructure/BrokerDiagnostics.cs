namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Adds the broker's log tail to a failing test's output.</summary>
public static class BrokerDiagnostics
{
    /// <summary>Runs <paramref name="test"/>; if it throws, writes the broker state and log tail to <paramref name="output"/> and rethrows.</summary>
    public static async Task WithLogOnFailure(this BrokerProcess broker, ITestOutputHelper output, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch
        {
            output.WriteLine($"broker pid {broker.Pid}, running: {broker.IsRunning}");
            output.WriteLine(broker.LogTail(80));
            throw;
        }
    }
}
