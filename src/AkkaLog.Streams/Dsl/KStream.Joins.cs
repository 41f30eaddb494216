using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

public sealed partial class KStream<TKey, TValue>
{
    /// <summary>Inner windowed join: each pair of records with equal keys whose timestamps are within the window.</summary>
    public KStream<TKey, TResult> Join<TOther, TResult>(KStream<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, JoinWindows windows,
        string? name = null) =>
        StreamJoin(other, joiner, windows, name, leftUnmatched: false, rightUnmatched: false);

    /// <summary>Left windowed join: as <see cref="Join{TOther, TResult}(KStream{TKey, TOther}, Func{TValue, TOther, TResult}, JoinWindows, string?)"/>, and a record of this stream without a match yet is emitted with default for the other side.</summary>
    public KStream<TKey, TResult> LeftJoin<TOther, TResult>(KStream<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, JoinWindows windows,
        string? name = null) =>
        StreamJoin(other, joiner, windows, name, leftUnmatched: true, rightUnmatched: false);

    /// <summary>Outer windowed join: unmatched records of either side are emitted too, with default for the missing side.</summary>
    public KStream<TKey, TResult> OuterJoin<TOther, TResult>(KStream<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, JoinWindows windows,
        string? name = null) =>
        StreamJoin(other, joiner, windows, name, leftUnmatched: true, rightUnmatched: true);

    /// <summary>
    /// Enriches each record with the table's current value for its key (records without one, including keys the
    /// table deleted, are dropped). An unmaterialized table gets a store here.
    /// The stream is repartitioned first if its key may have changed; the table's topic and the stream's
    /// must have the same partition count (checked at start).
    /// </summary>
    public KStream<TKey, TResult> Join<TTable, TResult>(KTable<TKey, TTable> table, Func<TValue, TTable, TResult> joiner) =>
        TableJoin(table, joiner, left: false);

    /// <summary>As <see cref="Join{TTable, TResult}(KTable{TKey, TTable}, Func{TValue, TTable, TResult})"/>, keeping records without a table value (default for it, also for deleted keys).</summary>
    public KStream<TKey, TResult> LeftJoin<TTable, TResult>(KTable<TKey, TTable> table, Func<TValue, TTable, TResult> joiner) =>
        TableJoin(table, joiner, left: true);

    private KStream<TKey, TResult> TableJoin<TTable, TResult>(KTable<TKey, TTable> table, Func<TValue, TTable, TResult> joiner, bool left)
    {
        if (table.Builder != Builder) throw new TopologyException("the stream and the table come from different builders");
        table = table.EnsureMaterialized();
        string store = table.StoreName!;
        var stream = RepartitionRequired ? Repartition(Builder.NewName("KSTREAM-JOIN")) : this;
        Builder.Copartition(stream.SourceTopics.Concat(table.SourceTopics));
        var node = Builder.AddProcessor<TKey, TValue, TKey, TResult>(stream.Node, left ? "KSTREAM-LEFTJOIN-KTABLE" : "KSTREAM-JOIN-KTABLE", (ctx, next) =>
        {
            var kv = ctx.Store<KeyValueStore<TKey, TTable>>(store);
            return new LambdaProcessor<TKey, TValue>((k, v, ts) =>
            {
                if (k is null) return;
                if (kv.TryGet(k, out var tv)) next.Forward(k, joiner(v, tv), ts);
                else if (left) next.Forward(k, joiner(v, default!), ts);
            });
        }, store);
        return new KStream<TKey, TResult>(Builder, node, stream.KeySerde, Serdes.For<TResult>(), repartitionRequired: false, stream.SourceTopics);
    }

    private KStream<TKey, TResult> StreamJoin<TOther, TResult>(KStream<TKey, TOther> other, Func<TValue, TOther, TResult> joiner, JoinWindows windows,
        string? name, bool leftUnmatched, bool rightUnmatched)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (other.Builder != Builder) throw new TopologyException("the two streams come from different builders");
        string baseName = name ?? Builder.NewName("KSTREAM-JOIN");
        var left = RepartitionRequired ? Repartition(baseName + "-left") : this;
        var right = other.RepartitionRequired ? other.Repartition(baseName + "-right") : other;
        Builder.Copartition(left.SourceTopics.Concat(right.SourceTopics));
        var windowSerde = Serdes.Windowed(left.KeySerde);
        string leftStore = Builder.AddKeyValueStore(baseName + "-this-store", windowSerde, left.ValueSerde, StoreType.InMemory, logged: true);
        string rightStore = Builder.AddKeyValueStore(baseName + "-other-store", windowSerde, right.ValueSerde, StoreType.InMemory, logged: true);
        var leftNode = Builder.AddProcessor<TKey, TValue, TKey, TResult>(left.Node, "KSTREAM-JOINTHIS", (ctx, next) =>
            new StreamStreamJoinProcessor<TKey, TValue, TOther, TResult>(ctx, next, joiner, windows.BeforeMs, windows.AfterMs, windows.GraceMs,
                leftUnmatched, leftStore, rightStore), leftStore, rightStore);
        var rightNode = Builder.AddProcessor<TKey, TOther, TKey, TResult>(right.Node, "KSTREAM-JOINOTHER", (ctx, next) =>
            new StreamStreamJoinProcessor<TKey, TOther, TValue, TResult>(ctx, next, (o, t) => joiner(t, o), windows.AfterMs, windows.BeforeMs, windows.GraceMs,
                rightUnmatched, rightStore, leftStore), leftStore, rightStore);
        var merge = Builder.AddProcessor<TKey, TResult, TKey, TResult>(leftNode, "KSTREAM-JOIN-MERGE", (_, next) => new LambdaProcessor<TKey, TResult>(next.Forward));
        rightNode.AddChild(merge);
        return new KStream<TKey, TResult>(Builder, merge, left.KeySerde, Serdes.For<TResult>(), repartitionRequired: false,
            left.SourceTopics.Concat(right.SourceTopics).Distinct().ToList());
    }
}
