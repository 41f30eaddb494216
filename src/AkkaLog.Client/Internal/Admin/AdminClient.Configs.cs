using System.Globalization;
using AkkaLog.Client.Admin;
using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Admin;

internal sealed partial class AdminClient
{
    /// <inheritdoc />
    public Task<IReadOnlyList<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, AdminOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = resources.ToList();
        return RunAsync<IReadOnlyList<DescribeConfigsResult>>("DescribeConfigs", options, cancellationToken, async ct =>
        {
            var described = new List<DescribeConfigsResult>();
            var results = new List<AdminItemResult>();
            foreach (var group in list.GroupBy(TargetNode))
            {
                var request = new DescribeConfigsRequest
                {
                    Resources = group.Select(r => new DescribeConfigsRequest.DescribeConfigsResource
                    {
                        ResourceType = (sbyte)r.Type, ResourceName = r.Name, ConfigurationKeys = null,
                    }).ToList(),
                };
                var connection = await ConnectionForAsync(group.Key, ct).ConfigureAwait(false);
                var response = await connection.SendAsync<DescribeConfigsResponse>(request, ct).ConfigureAwait(false);
                foreach (var r in response.Results)
                {
                    var resource = new ConfigResource((ResourceType)r.ResourceType, r.ResourceName);
                    results.Add(new AdminItemResult(resource.ToString(), Error.FromWire(r.ErrorCode, r.ErrorMessage)));
                    // v0 has IsDefault; v1+ has ConfigSource instead, where DEFAULT_CONFIG (5) means default.
                    var entries = r.Configs.ToDictionary(c => c.Name, c => new ConfigEntryResult(c.Name, c.Value,
                        (ConfigSource)Math.Max((sbyte)0, c.ConfigSource), c.IsDefault || c.ConfigSource == (sbyte)ConfigSource.DefaultConfig,
                        c.ReadOnly, c.IsSensitive));
                    described.Add(new DescribeConfigsResult(resource, entries));
                }
            }
            Check("DescribeConfigs", results);
            return described;
        });
    }

    /// <inheritdoc />
    public Task IncrementalAlterConfigsAsync(IReadOnlyDictionary<ConfigResource, IReadOnlyList<ConfigEntry>> changes, AdminOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var list = changes.ToList();
        return RunAsync("IncrementalAlterConfigs", options, cancellationToken, async ct =>
        {
            var results = new List<AdminItemResult>();
            foreach (var group in list.GroupBy(kv => TargetNode(kv.Key)))
            {
                var request = new IncrementalAlterConfigsRequest
                {
                    ValidateOnly = options?.ValidateOnly ?? false,
                    Resources = group.Select(kv => new IncrementalAlterConfigsRequest.AlterConfigsResource
                    {
                        ResourceType = (sbyte)kv.Key.Type,
                        ResourceName = kv.Key.Name,
                        Configs = kv.Value.Select(c => new IncrementalAlterConfigsRequest.AlterableConfig
                        {
                            Name = c.Name, ConfigOperation = (sbyte)c.Operation, Value = c.Value,
                        }).ToList(),
                    }).ToList(),
                };
                var connection = await ConnectionForAsync(group.Key, ct).ConfigureAwait(false);
                var response = await connection.SendAsync<IncrementalAlterConfigsResponse>(request, ct).ConfigureAwait(false);
                results.AddRange(response.Responses.Select(r => new AdminItemResult(
                    new ConfigResource((ResourceType)r.ResourceType, r.ResourceName).ToString(), Error.FromWire(r.ErrorCode, r.ErrorMessage))));
            }
            Check("IncrementalAlterConfigs", results);
        });
    }

    /// <summary>A broker's own configs must be asked of that broker; everything else of any broker (-1).</summary>
    private static int TargetNode(ConfigResource resource) =>
        resource.Type is ResourceType.Broker or ResourceType.BrokerLogger
        && int.TryParse(resource.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : -1;

    private async Task<BrokerConnection> ConnectionForAsync(int node, CancellationToken cancellationToken)
    {
        if (node < 0) return await _core.Pool.GetAnyAsync(cancellationToken).ConfigureAwait(false);
        if (!_core.Metadata.Current.Brokers.ContainsKey(node))
            await _core.Metadata.FetchAsync([], allowAutoCreate: false, cancellationToken).ConfigureAwait(false);
        return await _core.Pool.GetAsync(node, cancellationToken).ConfigureAwait(false);
    }
}
