using AkkaLog.Actors.Tests;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Broker.Tests.Groups;

/// <summary>
/// A <see cref="KafkaBroker"/> in this process on a temporary log directory and a
/// <see cref="ManualTimeProvider"/>, called through its request handlers (no sockets). Group
/// timers (session expiry, join and sync deadlines, the initial rebalance delay) only fire when
/// the test calls <see cref="AdvanceAsync"/>.
/// </summary>
internal sealed class InProcessBroker : IAsyncDisposable
{
    private readonly string _dir;
    private int _correlationId;

    private InProcessBroker(string dir, KafkaBroker broker, ManualTimeProvider time)
    {
        _dir = dir;
        Broker = broker;
        Time = time;
    }

    /// <summary>The broker.</summary>
    public KafkaBroker Broker { get; }

    /// <summary>Its clock.</summary>
    public ManualTimeProvider Time { get; }

    /// <summary>Starts a broker with 2 offsets partitions and the given extra settings, and waits until groups are loaded.</summary>
    public static async Task<InProcessBroker> StartAsync(params (string Key, string Value)[] settings)
    {
        string dir = Path.Combine(Path.GetTempPath(), "akkalog-groups-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var all = new Dictionary<string, string?>
        {
            ["log.dirs"] = dir,
            ["listeners"] = "PLAINTEXT://127.0.0.1:9092",
            ["offsets.topic.num.partitions"] = "2",
        };
        foreach (var (k, v) in settings) all[k] = v;
        var time = new ManualTimeProvider();
        var broker = await KafkaBroker.StartAsync(BrokerConfig.From(all), NullLoggerFactory.Instance, time);
        await broker.Services.Groups.Loaded;
        return new InProcessBroker(dir, broker, time);
    }

    /// <summary>Serves <paramref name="request"/> at <paramref name="version"/> as a client would get it answered.</summary>
    public async Task<TResponse> CallAsync<TResponse>(IKafkaRequest request, short version, string clientId = "it")
        where TResponse : IKafkaResponse
    {
        var handler = Broker.Dispatcher.Handlers.Single(h => h.ApiKey == request.ApiKey);
        var context = new RequestContext
        {
            ApiKey = request.ApiKey,
            ApiVersion = version,
            CorrelationId = Interlocked.Increment(ref _correlationId),
            ClientId = clientId,
            ConnectionId = "in-process",
            RemoteEndPoint = "127.0.0.1:50000",
        };
        var result = await handler.HandleAsync(context, request, CancellationToken.None);
        return (TResponse)result.Response!;
    }

    /// <summary>Starts a request without awaiting it (a JoinGroup that parks until the rebalance completes).</summary>
    public Task<TResponse> Start<TResponse>(IKafkaRequest request, short version, string clientId = "it") where TResponse : IKafkaResponse =>
        Task.Run(() => CallAsync<TResponse>(request, version, clientId));

    /// <summary>
    /// Moves the clock (firing due group timers), then waits until the group has handled them:
    /// a DescribeGroups queues behind the timer messages in the group's mailbox.
    /// </summary>
    public async Task<DescribeGroupsResponse.DescribedGroup> AdvanceAsync(string group, TimeSpan by)
    {
        Time.Advance(by);
        return await DescribeAsync(group);
    }

    /// <summary>DescribeGroups of one group.</summary>
    public async Task<DescribeGroupsResponse.DescribedGroup> DescribeAsync(string group) =>
        (await CallAsync<DescribeGroupsResponse>(new DescribeGroupsRequest { Groups = [group] }, 5)).Groups.Single();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
