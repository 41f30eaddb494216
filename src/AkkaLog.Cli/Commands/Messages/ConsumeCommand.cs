using System.CommandLine;
using System.Diagnostics;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Messages;

/// <summary>
/// <c>akkalog consume -t TOPIC</c>, like kafka-console-consumer. With <c>--group</c> (and no
/// <c>--partition</c>) it joins the group, gets a share of the partitions and commits as it goes;
/// otherwise it reads the partitions directly (all, or <c>--partition</c> from <c>--offset</c>) and
/// commits nothing unless a group is named. New records only, unless <c>--from-beginning</c> (which for
/// a group applies only where it has no committed offset, as in Kafka). Stops after
/// <c>--max-messages</c>, at the end of every partition with <c>--exit-at-end</c>, after
/// <c>--timeout-ms</c> without a record, or on Ctrl+C (exit 0: that is how a tail is stopped).
/// </summary>
internal sealed class ConsumeCommand : CliCommand
{
    /// <summary>How often the loop looks up from Consume to check Ctrl+C and the idle timeout.</summary>
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(200);

    private readonly Option<string> _topic = new("--topic", "-t") { Description = "Topic to read", Required = true };

    private readonly Option<string> _group = new("--group", "-g") { Description = "Consumer group: share partitions with its members and commit offsets" };

    private readonly Option<bool> _fromBeginning = new("--from-beginning") { Description = "Start at the earliest record (for a group: where it has no committed offset)" };

    private readonly Option<int?> _partition = new("--partition", "-p") { Description = "Read only this partition" };

    private readonly Option<string> _offset = new("--offset", "-o")
    {
        Description = "With --partition: where to start: an offset, earliest or latest", HelpName = "offset|earliest|latest",
    };

    private readonly Option<long?> _maxMessages = new("--max-messages", "-n") { Description = "Exit after this many records" };

    private readonly Option<bool> _exitAtEnd = new("--exit-at-end", "-e") { Description = "Exit once every partition read has been read to its end" };

    private readonly Option<int?> _timeoutMs = new("--timeout-ms") { Description = "Exit when no record arrived for this long", HelpName = "ms" };

    private readonly Option<string> _format = new Option<string>("--format", "-f")
    {
        Description = "text: one line per record with the --print-* fields; json: one JSON object per record and line (default: --output)",
    }.AcceptOnlyFromAmong("text", "json");

    private readonly Option<bool> _printKey = new("--print-key") { Description = "Text: print the key before the value" };
    private readonly Option<bool> _printHeaders = new("--print-headers") { Description = "Text: print the headers (k:v,...)" };
    private readonly Option<bool> _printPartition = new("--print-partition") { Description = "Text: print Partition:N" };
    private readonly Option<bool> _printOffset = new("--print-offset") { Description = "Text: print Offset:N" };
    private readonly Option<bool> _printTimestamp = new("--print-timestamp") { Description = "Text: print CreateTime:ms (or LogAppendTime:ms)" };
    private readonly Option<bool> _printAll = new("--print-all") { Description = "Text: print every field above" };

    private readonly Option<string> _separator = new("--separator") { Description = "Text: between fields (default: tab)", DefaultValueFactory = _ => "\t" };

    private readonly Option<List<KeyValuePair<string, string>>> _properties =
        KeyValueOption.Create("--consumer-property", "Consumer config, e.g. fetch.max.wait.ms=100", "-X");

    public ConsumeCommand(CliServices services) : base("consume", "Read records and print them, one per line", services)
    {
        foreach (var option in new Option[]
                 {
                     _topic, _group, _fromBeginning, _partition, _offset, _maxMessages, _exitAtEnd, _timeoutMs, _format,
                     _printKey, _printHeaders, _printPartition, _printOffset, _printTimestamp, _printAll, _separator, _properties,
                 })
            Add(option);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string topic = context.Get(_topic)!;
        string? group = context.Get(_group);
        int? partition = context.Get(_partition);
        long? max = context.Get(_maxMessages);
        if (max is < 1) throw new UsageException("--max-messages must be at least 1");
        if (context.Get(_offset) is not null && partition is null) throw new UsageException("--offset needs --partition");
        if (context.Get(_offset) is not null && context.Get(_fromBeginning)) throw new UsageException("give --offset or --from-beginning, not both");
        int? timeoutMs = context.Get(_timeoutMs);
        if (timeoutMs is < 1) throw new UsageException("--timeout-ms must be at least 1");
        Offset start = context.Get(_offset) is { } o ? OffsetSpec.Parse(o)
            : context.Get(_fromBeginning) ? Offset.Beginning
            : group is null ? Offset.End : Offset.Stored;
        bool json = (OutputFormats.Parse(context.Get(_format)) ?? context.Output) == OutputFormat.Json;
        bool all = context.Get(_printAll);
        var fields = new PrintFields(all || context.Get(_printTimestamp), all || context.Get(_printPartition), all || context.Get(_printOffset),
            all || context.Get(_printHeaders), all || context.Get(_printKey));
        var formatter = new RecordFormatter(context.Out, json, fields, context.Get(_separator) ?? "\t");
        bool exitAtEnd = context.Get(_exitAtEnd);

        var settings = new Dictionary<string, string>
        {
            ["auto.offset.reset"] = context.Get(_fromBeginning) ? "earliest" : "latest",
            ["enable.partition.eof"] = exitAtEnd ? "true" : "false",
        };
        if (group is not null) settings["group.id"] = group;
        var config = ConsumerFactory.Config(context, settings, context.Get(_properties));

        var partitions = await TopicCheck.PartitionsAsync(context, topic);
        if (partition is { } p) TopicCheck.RequirePartition(topic, partitions, p);
        var assign = group is null || partition is not null
            ? (partition is { } only ? [only] : partitions).Select(i => new TopicPartitionOffset(topic, i, start)).ToList()
            : null;

        long count = await Task.Run(() =>
        {
            using var consumer = ConsumerFactory.Build<string?, string?>(config);
            if (assign is null) consumer.Subscribe(topic);
            else consumer.Assign(assign);
            long n = Loop(consumer, formatter, max, exitAtEnd, timeoutMs, context.Cancellation);
            // Commit what was printed before leaving: Close also commits, but only logs a failure,
            // and a script must learn (exit 1) that the group did not move.
            if (group is not null && consumer.Assignment.Count > 0) consumer.Commit();
            consumer.Close();
            return n;
        });
        await context.Out.FlushAsync(CancellationToken.None);
        if (!json) await context.Err.WriteLineAsync($"Processed a total of {count} messages");
        return ExitCodes.Ok;
    }

    private static long Loop(IConsumer<string?, string?> consumer, RecordFormatter formatter, long? max, bool exitAtEnd, int? timeoutMs,
        CancellationToken cancellation)
    {
        long count = 0;
        var atEnd = new HashSet<TopicPartition>();
        var idle = Stopwatch.StartNew();
        while (!cancellation.IsCancellationRequested && (max is null || count < max))
        {
            if (timeoutMs is { } limit && idle.ElapsedMilliseconds >= limit) break;
            var result = consumer.Consume(PollSlice);
            if (result is null) continue;
            if (result.IsPartitionEOF)
            {
                atEnd.Add(result.TopicPartition);
                var assignment = consumer.Assignment;
                if (exitAtEnd && assignment.Count > 0 && assignment.All(atEnd.Contains)) break;
                continue;
            }
            atEnd.Remove(result.TopicPartition);
            formatter.Write(result);
            count++;
            idle.Restart();
        }
        return count;
    }
}
