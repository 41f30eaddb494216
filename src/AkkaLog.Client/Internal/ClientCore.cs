using AkkaLog.Client.Internal.Metadata;
using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal;

/// <summary>
/// What every client (producer, admin, consumer) is built on: the connection pool,
/// the metadata cache and group coordinator lookup, all from one <see cref="ClientConfig"/>. The
/// consumer uses <see cref="Metadata"/> for partition leaders (Fetch/ListOffsets go to
/// <c>Pool.GetAsync(leader)</c>) and <see cref="FindCoordinatorAsync"/> for its group coordinator.
/// </summary>
internal sealed class ClientCore : IAsyncDisposable
{
    private readonly Dictionary<string, int> _coordinators = new(StringComparer.Ordinal);

    public ClientCore(ClientConfig config, bool allowAutoCreateTopics)
    {
        config.ValidateForBuild();
        Settings = ConnectionSettings.From(config);
        Pool = new ConnectionPool(Settings, BrokerAddress.ParseList(config.BootstrapServers!));
        Metadata = new MetadataManager(Pool, Settings, allowAutoCreateTopics);
    }

    /// <summary>Shared connection settings.</summary>
    public ConnectionSettings Settings { get; }

    /// <summary>Connections by node id.</summary>
    public ConnectionPool Pool { get; }

    /// <summary>The metadata cache.</summary>
    public MetadataManager Metadata { get; }

    /// <summary>
    /// The connection to the coordinator of <paramref name="groupId"/> (FindCoordinator, cached until
    /// <see cref="ForgetCoordinator"/>; call that on NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE).
    /// Throws a <see cref="KafkaException"/> with the broker's error, retriable while the coordinator loads.
    /// </summary>
    public async Task<BrokerConnection> FindCoordinatorAsync(string groupId, CancellationToken cancellationToken)
    {
        int cached;
        lock (_coordinators) if (!_coordinators.TryGetValue(groupId, out cached)) cached = -1;
        if (cached >= 0)
        {
            try
            {
                return await Pool.GetAsync(cached, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException)
            {
                // The coordinator may have moved while its broker was away: look it up again next time.
                ForgetCoordinator(groupId);
                throw;
            }
        }

        var any = await Pool.GetAnyAsync(cancellationToken).ConfigureAwait(false);
        short version = any.Versions.Pick(ApiKey.FindCoordinator);
        // v4+ batches keys (KIP-699); older versions ask for one key in top-level fields.
        var request = version >= 4
            ? new FindCoordinatorRequest { KeyType = 0, CoordinatorKeys = { groupId } }
            : new FindCoordinatorRequest { KeyType = 0, Key = groupId };
        var response = await any.SendAsync<FindCoordinatorResponse>(request, version, cancellationToken).ConfigureAwait(false);
        int nodeId;
        BrokerAddress address;
        Error error;
        if (version >= 4)
        {
            var c = response.Coordinators.FirstOrDefault(x => x.Key == groupId)
                    ?? throw new KafkaException(ErrorCode.CoordinatorNotAvailable, $"FindCoordinator returned no entry for group '{groupId}'");
            (nodeId, address, error) = (c.NodeId, new BrokerAddress(c.Host, c.Port), Error.FromWire(c.ErrorCode, c.ErrorMessage));
        }
        else
        {
            (nodeId, address, error) = (response.NodeId, new BrokerAddress(response.Host, response.Port),
                Error.FromWire(response.ErrorCode, response.ErrorMessage));
        }
        if (error.IsError) throw new KafkaException(error);
        Pool.UpdateBrokers(new Dictionary<int, BrokerAddress> { [nodeId] = address });
        lock (_coordinators) _coordinators[groupId] = nodeId;
        return await Pool.GetAsync(nodeId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the cached coordinator of <paramref name="groupId"/>.</summary>
    public void ForgetCoordinator(string groupId)
    {
        lock (_coordinators) _coordinators.Remove(groupId);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Metadata.DisposeAsync().ConfigureAwait(false);
        await Pool.DisposeAsync().ConfigureAwait(false);
    }
}
