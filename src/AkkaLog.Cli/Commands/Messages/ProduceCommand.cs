using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Messages;

/// <summary>
/// <c>akkalog produce -t TOPIC</c>: one record per input line (stdin or <c>--file</c>), like
/// kafka-console-producer. With <c>--key-separator</c> a line is <c>key SEP value</c>; headers from
/// <c>--header</c> go on every record. Records are sent pipelined (up to <see cref="MaxInFlight"/>
/// awaiting acknowledgement) and the command succeeds only when every one was acknowledged.
/// </summary>
internal sealed class ProduceCommand : CliCommand
{
    /// <summary>Deliveries awaited at once; bounds memory for long inputs while keeping batches full.</summary>
    private const int MaxInFlight = 10_000;

    private readonly Option<string> _topic = new("--topic", "-t") { Description = "Topic to write to", Required = true };

    private readonly Option<FileInfo> _file = new Option<FileInfo>("--file", "-f") { Description = "Read lines from this file instead of stdin" }
        .AcceptExistingOnly();

    private readonly Option<string> _keySeparator = new("--key-separator", "-K")
    {
        Description = "Split each line at the first occurrence into key and value (a line without it is an error)",
    };

    private readonly Option<List<KeyValuePair<string, string>>> _headers = KeyValueOption.Create("--header", "Header added to every record", "-H");

    private readonly Option<int?> _partition = new("--partition", "-p") { Description = "Write every record to this partition (default: by key)" };

    private readonly Option<string> _compression = new Option<string>("--compression", "-z") { Description = "Batch compression codec" }
        .AcceptOnlyFromAmong("none", "gzip", "snappy", "lz4", "zstd");

    private readonly Option<string> _acks = new Option<string>("--acks")
    {
        Description = "Acknowledgement to wait for: 0 none, 1 the leader, all every in-sync replica (default all)",
    }.AcceptOnlyFromAmong("0", "1", "all", "-1");

    private readonly Option<List<KeyValuePair<string, string>>> _properties =
        KeyValueOption.Create("--producer-property", "Producer config, e.g. linger.ms=20", "-X");

    public ProduceCommand(CliServices services) : base("produce", "Write records read line by line from stdin or a file", services)
    {
        Add(_topic);
        Add(_file);
        Add(_keySeparator);
        Add(_headers);
        Add(_partition);
        Add(_compression);
        Add(_acks);
        Add(_properties);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string topic = context.Get(_topic)!;
        string? separator = context.Get(_keySeparator);
        if (separator is { Length: 0 }) throw new UsageException("--key-separator must not be empty");
        var headers = context.Get(_headers) ?? [];
        int? partition = context.Get(_partition);

        var overrides = new List<KeyValuePair<string, string>>();
        if (context.Get(_compression) is { } codec) overrides.Add(new("compression.type", codec));
        if (context.Get(_acks) is { } acks) overrides.Add(new("acks", acks));
        overrides.AddRange(context.Get(_properties) ?? []);
        var config = context.ProducerConfig(overrides);

        var partitions = await TopicCheck.PartitionsAsync(context, topic);
        if (partition is { } p) TopicCheck.RequirePartition(topic, partitions, p);

        using var input = context.Get(_file) is { } file ? new StreamReader(file.FullName) : null;
        var reader = input ?? context.Io.In;
        await using var producer = CliContext.Build(() => new ProducerBuilder<string?, string>(config).Build());
        var target = new TopicPartition(topic, partition ?? Partition.Any);
        var pending = new Queue<(long Line, Task<DeliveryResult<string?, string>> Delivery)>();
        var summary = new ProduceSummary();
        long lineNumber = 0;

        while (await reader.ReadLineAsync(context.Cancellation) is { } line)
        {
            lineNumber++;
            var message = ParseLine(line, separator, lineNumber);
            if (headers.Count > 0)
            {
                message.Headers = new Headers();
                foreach (var (k, v) in headers) message.Headers.Add(k, v);
            }
            pending.Enqueue((lineNumber, producer.ProduceAsync(target, message, context.Cancellation)));
            while (pending.Count > MaxInFlight || (pending.Count > 0 && pending.Peek().Delivery.IsCompleted))
                summary.Add(await Delivered(pending.Dequeue()));
        }
        await producer.FlushAsync(context.Cancellation);
        while (pending.Count > 0) summary.Add(await Delivered(pending.Dequeue()));

        if (context.Json) context.WriteJson(new { topic, records = summary.Records, partitions = summary.Partitions() });
        else context.Out.WriteLine($"Produced {summary.Records} record{(summary.Records == 1 ? "" : "s")} to {topic}.");
        return ExitCodes.Ok;
    }

    private static Message<string?, string> ParseLine(string line, string? separator, long lineNumber)
    {
        if (separator is null) return new Message<string?, string> { Key = null, Value = line };
        int at = line.IndexOf(separator, StringComparison.Ordinal);
        if (at < 0) throw new CliFailure($"line {lineNumber}: no key separator '{separator}' found");
        return new Message<string?, string> { Key = line[..at], Value = line[(at + separator.Length)..] };
    }

    private static async Task<DeliveryResult<string?, string>> Delivered((long Line, Task<DeliveryResult<string?, string>> Delivery) item)
    {
        try
        {
            return await item.Delivery;
        }
        catch (KafkaException e) when (e is not ProduceException<string?, string>)
        {
            throw new KafkaException(e.Error with { Reason = $"line {item.Line}: {e.Error.Reason}" }, e);
        }
        catch (ProduceException<string?, string> e)
        {
            throw new KafkaException(e.Error with { Reason = $"line {item.Line} not delivered: {e.Error.Reason}" }, e);
        }
    }

    /// <summary>Counts acknowledged records and the offset range per partition.</summary>
    private sealed class ProduceSummary
    {
        private readonly SortedDictionary<int, (long First, long Last)> _ranges = new();

        public long Records { get; private set; }

        public void Add(DeliveryResult<string?, string> result)
        {
            Records++;
            long offset = result.Offset.Value;
            if (offset < 0) return;
            _ranges[result.Partition.Value] = _ranges.TryGetValue(result.Partition.Value, out var r)
                ? (Math.Min(r.First, offset), Math.Max(r.Last, offset))
                : (offset, offset);
        }

        public IEnumerable<object> Partitions() =>
            _ranges.Select(kv => new { partition = kv.Key, firstOffset = kv.Value.First, lastOffset = kv.Value.Last });
    }
}
