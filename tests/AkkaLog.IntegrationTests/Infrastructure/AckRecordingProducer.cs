using System.Collections.Concurrent;
using System.Net.Sockets;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// Produces batches of sequential values ("crash-value-N", N = 0, 1, ...) with acks=1 until the
/// connection fails, recording the (offset, value) of every acknowledged record.
/// </summary>
public sealed class AckRecordingProducer(BrokerProcess broker, string topic, int batchSize)
{
    /// <summary>(offset, value) of every acknowledged record.</summary>
    public ConcurrentQueue<(long Offset, string Value)> Acknowledged { get; } = new();

    /// <summary>Records sent (acknowledged or not).</summary>
    public int SentRecords { get; private set; }

    /// <summary>Why the loop ended.</summary>
    public string StopReason { get; private set; } = "";

    /// <summary>The value of the N-th record sent.</summary>
    public static string ValueOf(int n) => $"crash-value-{n}";

    /// <summary>Runs until the broker goes away (or refuses a batch, which fails the test later).</summary>
    public async Task RunAsync()
    {
        try
        {
            await using var client = await broker.ConnectAsync();
            while (true)
            {
                int first = SentRecords;
                var batch = Batches.OfValues(Enumerable.Range(first, batchSize).Select(ValueOf));
                SentRecords += batchSize;
                var response = await client.ProduceAsync(topic, 0, batch, acks: 1);
                if (response!.ErrorCode != 0)
                {
                    StopReason = $"produce error {response.ErrorCode} {response.ErrorMessage}";
                    return;
                }
                for (int i = 0; i < batchSize; i++) Acknowledged.Enqueue((response.BaseOffset + i, ValueOf(first + i)));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or ObjectDisposedException)
        {
            StopReason = $"{e.GetType().Name}: {e.Message}";
        }
    }
}
