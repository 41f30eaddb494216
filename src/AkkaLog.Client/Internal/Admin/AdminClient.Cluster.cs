using AkkaLog.Client.Admin;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Admin;

internal sealed partial class AdminClient
{
    /// <inheritdoc />
    public Task<ClusterDescription> DescribeClusterAsync(AdminOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync("DescribeCluster", options, cancellationToken, async ct =>
        {
            var connection = await _core.Pool.GetAnyAsync(ct).ConfigureAwait(false);
            if (!connection.Versions.Supports(ApiKey.DescribeCluster))
            {
                // Brokers before Kafka 2.8 (KIP-700) lack DescribeCluster; Metadata has the same facts.
                var metadata = await _core.Metadata.FetchAsync([], allowAutoCreate: false, ct).ConfigureAwait(false);
                return new ClusterDescription(metadata.ClusterId, metadata.ControllerId,
                    metadata.Brokers.Select(b => new BrokerInfo(b.NodeId, b.Host, b.Port, b.Rack)).ToList());
            }
            var response = await connection.SendAsync<DescribeClusterResponse>(new DescribeClusterRequest(), ct).ConfigureAwait(false);
            var error = Error.FromWire(response.ErrorCode, response.ErrorMessage);
            if (error.IsError) throw new KafkaException(error);
            return new ClusterDescription(response.ClusterId, response.ControllerId,
                response.Brokers.Select(b => new BrokerInfo(b.BrokerId, b.Host, b.Port, b.Rack)).ToList());
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> before, AdminOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = before.ToList();
        return RunAsync<IReadOnlyList<DeleteRecordsResult>>("DeleteRecords", options, cancellationToken, async ct =>
        {
            // DeleteRecords goes to each partition's leader, so learn the leaders first.
            var metadata = await _core.Metadata.FetchAsync(list.Select(t => t.Topic).Distinct().ToList(), allowAutoCreate: false, ct)
                .ConfigureAwait(false);
            var leaders = metadata.Topics.Where(t => t.Name is not null)
                .SelectMany(t => t.Partitions.Select(p => (Key: (t.Name!, p.PartitionIndex), p.LeaderId)))
                .ToDictionary(x => x.Key, x => x.LeaderId);
            var results = new List<AdminItemResult>();
            var done = new List<DeleteRecordsResult>();
            var missing = list.Where(tpo => !leaders.ContainsKey((tpo.Topic, tpo.Partition.Value))).ToList();
            results.AddRange(missing.Select(m => new AdminItemResult(m.TopicPartition.ToString(), new Error(ErrorCode.UnknownTopicOrPartition))));
            foreach (var group in list.Except(missing).GroupBy(tpo => leaders[(tpo.Topic, tpo.Partition.Value)]))
            {
                if (group.Key < 0) throw new KafkaException(ErrorCode.LeaderNotAvailable, $"no leader for {group.First().TopicPartition}");
                var request = new DeleteRecordsRequest
                {
                    TimeoutMs = TimeoutMs(options, _defaultTimeout),
                    Topics = group.GroupBy(t => t.Topic).Select(t => new DeleteRecordsRequest.DeleteRecordsTopic
                    {
                        Name = t.Key,
                        Partitions = t.Select(p => new DeleteRecordsRequest.DeleteRecordsPartition { PartitionIndex = p.Partition.Value, Offset = p.Offset.Value }).ToList(),
                    }).ToList(),
                };
                var connection = await _core.Pool.GetAsync(group.Key, ct).ConfigureAwait(false);
                var response = await connection.SendAsync<DeleteRecordsResponse>(request, ct).ConfigureAwait(false);
                foreach (var t in response.Topics)
                {
                    foreach (var p in t.Partitions)
                    {
                        var tp = new TopicPartition(t.Name, p.PartitionIndex);
                        results.Add(new AdminItemResult(tp.ToString(), Error.FromWire(p.ErrorCode, null)));
                        if (p.ErrorCode == 0) done.Add(new DeleteRecordsResult(tp, p.LowWatermark));
                    }
                }
            }
            Check("DeleteRecords", results);
            return done;
        });
    }
}
