using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

public sealed partial class KTable<TKey, TValue>
{
    /// <summary>
    /// Inner table-table join on the key: whenever either side changes, the joined value for that key is
    /// recomputed and stored in the result table. When a side loses the key (a tombstone), the joined row is
    /// deleted and a deletion is forwarded (a tombstone after <c>ToStream()</c>). Unmaterialized tables get a
    /// store here; both must be co-partitioned.
    /// </summary>
    public KTable<TKey, TResult> Join<TOther, TResult>(KTable<TKey, TOther> other, Func<TValue, TOther, TResult> joiner,
        Materialized<TKey, TResult>? materialized = null) =>
        TableJoin(other, joiner, materialized, keepLeft: false, keepRight: false);

    /// <summary>
    /// Left table-table join: keys of this table are kept without a match (default for the other side, also when the
    /// other side's key is deleted); deleting this table's key deletes the row (a tombstone downstream).
    /// </summary>
    public KTable<TKey, TResult> LeftJoin<TOther, TResult>(KTable<TKey, TOther> other, Func<TValue, TOther, TResult> joiner,
        Materialized<TKey, TResult>? materialized = null) =>
        TableJoin(other, joiner, materialized, keepLeft: true, keepRight: false);

    /// <summary>Outer table-table join: keys of either table are kept (default for a missing side); a row is deleted once both sides are.</summary>
    public KTable<TKey, TResult> OuterJoin<TOther, TResult>(KTable<TKey, TOther> other, Func<TValue, TOther, TResult> joiner,
        Materialized<TKey, TResult>? materialized = null) =>
        TableJoin(other, joiner, materialized, keepLeft: true, keepRight: true);

    private KTable<TKey, TResult> TableJoin<TOther, TResult>(KTable<TKey, TOther> other, Func<TValue, TOther, TResult> joiner,
        Materialized<TKey, TResult>? materialized, bool keepLeft, bool keepRight)
    {
        if (other.Builder != Builder) throw new TopologyException("the two tables come from different builders");
        var self = EnsureMaterialized();
        other = other.EnsureMaterialized();
        string leftStore = self.StoreName!, rightStore = other.StoreName!;
        Builder.Copartition(SourceTopics.Concat(other.SourceTopics));
        var ks = materialized?.KeySerde ?? KeySerde;
        var vs = materialized?.ValueSerde ?? Serdes.For<TResult>();
        string result = Builder.AddKeyValueStore(materialized?.StoreName ?? Builder.NewName("KTABLE-JOIN-STATE-STORE"), ks, vs,
            materialized?.StoreType ?? StoreType.InMemory, materialized?.LoggingEnabled ?? true);

        // Recomputes the joined value of one key from both stores: either side's update calls it.
        Action<TKey, long> Recompute(TaskContext ctx, Forwarder<TKey, Change<TResult>> next)
        {
            var l = ctx.Store<KeyValueStore<TKey, TValue>>(leftStore);
            var r = ctx.Store<KeyValueStore<TKey, TOther>>(rightStore);
            var res = ctx.Store<KeyValueStore<TKey, TResult>>(result);
            return (k, ts) =>
            {
                bool hasLeft = l.TryGet(k, out var lv), hasRight = r.TryGet(k, out var rv);
                bool hadResult = res.TryGet(k, out var old);
                if ((hasLeft && hasRight) || (hasLeft && keepLeft) || (hasRight && keepRight))
                {
                    var joined = joiner(hasLeft ? lv : default!, hasRight ? rv : default!);
                    res.Put(k, joined);
                    next.Forward(k, Change<TResult>.Known(true, joined, hadResult, old), ts);
                }
                else if (hadResult)
                {
                    // The row stops joining: delete it here and downstream.
                    res.Delete(k);
                    next.Forward(k, Change<TResult>.Known(false, default!, true, old), ts);
                }
            };
        }
        var leftNode = Builder.AddProcessor<TKey, Change<TValue>, TKey, Change<TResult>>(self.Node, "KTABLE-JOINTHIS",
            (ctx, next) => { var recompute = Recompute(ctx, next); return new LambdaProcessor<TKey, Change<TValue>>((k, _, ts) => { if (k is not null) recompute(k, ts); }); },
            leftStore, rightStore, result);
        var rightNode = Builder.AddProcessor<TKey, Change<TOther>, TKey, Change<TResult>>(other.Node, "KTABLE-JOINOTHER",
            (ctx, next) => { var recompute = Recompute(ctx, next); return new LambdaProcessor<TKey, Change<TOther>>((k, _, ts) => { if (k is not null) recompute(k, ts); }); },
            leftStore, rightStore, result);
        var merge = Builder.AddProcessor<TKey, Change<TResult>, TKey, Change<TResult>>(leftNode, "KTABLE-JOIN-MERGE",
            (_, next) => new LambdaProcessor<TKey, Change<TResult>>(next.Forward));
        rightNode.AddChild(merge);
        return new KTable<TKey, TResult>(Builder, merge, ks, vs, result, SourceTopics.Concat(other.SourceTopics).Distinct().ToList());
    }
}
