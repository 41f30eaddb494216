using AkkaLog.Client;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// Consumer settings for the CLI: its bounded timeouts (<see cref="ClientDefaults"/>), no topic
/// auto-creation (commands check the topic first and name it when missing), then the user's
/// <c>--consumer-property</c> overrides, which win.
/// </summary>
internal static class ConsumerFactory
{
    /// <summary>A consumer configuration; <paramref name="settings"/> are the command's own, applied before the overrides.</summary>
    public static ConsumerConfig Config(CliContext context, IEnumerable<KeyValuePair<string, string>> settings,
        IEnumerable<KeyValuePair<string, string>>? overrides = null, string overridesOption = "--consumer-property")
    {
        var config = new ConsumerConfig { DefaultApiTimeoutMs = context.ApiTimeoutMs, AllowAutoCreateTopics = false };
        context.ApplyCommon(config);
        CliContext.ApplyOverrides(config, settings, "consumer setting");
        if (overrides is not null) CliContext.ApplyOverrides(config, overrides, overridesOption);
        return config;
    }

    /// <summary>Builds a consumer with the built-in deserializers of its key and value types; a rejected setting is a usage error.</summary>
    public static IConsumer<TKey, TValue> Build<TKey, TValue>(ConsumerConfig config) =>
        CliContext.Build(() => new ConsumerBuilder<TKey, TValue>(config).Build());

    /// <summary>
    /// Low and high watermarks of <paramref name="partitions"/>, asked with a group-less consumer (the
    /// admin client has no ListOffsets). Runs on a pool thread: the consumer's calls block.
    /// </summary>
    public static Task<Dictionary<TopicPartition, WatermarkOffsets>> WatermarksAsync(CliContext context, IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.Distinct().ToList();
        if (list.Count == 0) return Task.FromResult(new Dictionary<TopicPartition, WatermarkOffsets>());
        var config = Config(context, []);
        return Task.Run(() =>
        {
            using var consumer = Build<Ignore, Ignore>(config);
            var timeout = TimeSpan.FromMilliseconds(context.ApiTimeoutMs);
            var result = new Dictionary<TopicPartition, WatermarkOffsets>();
            foreach (var tp in list)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                result[tp] = consumer.QueryWatermarkOffsets(tp, timeout);
            }
            return result;
        }, context.Cancellation);
    }
}
