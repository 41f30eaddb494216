using System.Runtime.CompilerServices;
using System.Text;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Consumer;

internal sealed partial class Consumer<TKey, TValue>
{
    private CompletedFetch? _current;
    private KafkaException? _fatal;
    private long _nextAutoCommitTicks;

    /// <inheritdoc />
    public ConsumeResult<TKey, TValue>? Consume(TimeSpan timeout)
    {
        ThrowIfClosed();
        // The clock is read only once a poll comes back empty: a record ready at once (the busy
        // case) costs no clock read.
        long deadline = long.MinValue;
        while (true)
        {
            var wake = _table.ConsumerWake.Current;
            var result = Poll();
            if (result is not null) return result;
            long now = Environment.TickCount64;
            if (deadline == long.MinValue) deadline = now + (long)Math.Max(0, timeout.TotalMilliseconds);
            long remaining = deadline - now;
            if (remaining <= 0) return null;
            wake.Wait((int)Math.Min(remaining, int.MaxValue));
        }
    }

    /// <inheritdoc />
    public ConsumeResult<TKey, TValue> Consume(CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var wake = _table.ConsumerWake.Current;
            var result = Poll();
            if (result is not null) return result;
            // Wake at least every second, so auto-commit and max.poll.interval.ms see a live consumer.
            wake.Wait(1000, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ConsumeResult<TKey, TValue>> ConsumeAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ThrowIfClosed();
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = _table.ConsumerWake.Current;
            var result = Poll();
            if (result is not null)
            {
                yield return result;
                continue;
            }
            try
            {
                await Task.WhenAny(wake, Task.Delay(1000, cancellationToken)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// One look, without waiting: rebalance work first (its handlers run here), then a pending error,
    /// auto-commit when due, the next record, an EOF notice.
    /// </summary>
    private ConsumeResult<TKey, TValue>? Poll()
    {
        _coordinator?.OnPoll();
        RunWork();
        if (Interlocked.Exchange(ref _fatal, null) is { } fatal) throw fatal;
        if (_table.TakeError() is { } error) throw error;
        MaybeAutoCommit();
        return NextRecord() ?? NextEof();
    }

    private ConsumeResult<TKey, TValue>? NextRecord()
    {
        while (true)
        {
            var fetch = _current;
            if (fetch is null || fetch.IsStale || fetch.State.Paused)
            {
                if (fetch is not null && fetch.IsStale) _table.Finish(fetch);
                fetch = _current = _table.NextReady();
                if (fetch is null) return null;
            }
            bool found;
            Record record;
            long offset;
            Timestamp timestamp;
            int leaderEpoch;
            try
            {
                found = fetch.TryNext(out record, out offset, out timestamp, out leaderEpoch);
            }
            catch (KafkaException)
            {
                // Dropped: the same bytes come again with the next fetch, so a corrupt batch keeps failing (as in Java) until a Seek past it.
                _table.Finish(fetch);
                _current = null;
                throw;
            }
            if (!found)
            {
                _table.Finish(fetch);
                _current = null;
                continue;
            }
            return Build(fetch.State, record, offset, timestamp, leaderEpoch);
        }
    }

    /// <summary>The hot path: deserializes one record; allocates the result, the message and what the deserializers make.</summary>
    private ConsumeResult<TKey, TValue> Build(PartitionState state, in Record record, long offset, Timestamp timestamp, int leaderEpoch)
    {
        Headers? headers = record.HeaderCount > 0 ? ReadHeaders(record) : null;
        TKey key;
        TValue value;
        try
        {
            key = _keyDeserializer.Deserialize(record.Key, record.KeyIsNull, new SerializationContext(MessageComponentType.Key, state.Topic, headers));
            value = _valueDeserializer.Deserialize(record.Value, record.ValueIsNull, new SerializationContext(MessageComponentType.Value, state.Topic, headers));
        }
        catch (Exception e)
        {
            Advance(state, offset);
            var position = new TopicPartitionOffset(state.TopicPartition, offset);
            throw new ConsumeException(position, new Error(ErrorCode.InvalidRecord, $"{position}: deserialization failed: {e.Message}"), e);
        }
        Advance(state, offset);
        return new ConsumeResult<TKey, TValue>
        {
            Topic = state.Topic,
            Partition = state.TopicPartition.Partition,
            Offset = offset,
            Message = new Message<TKey, TValue> { Key = key, Value = value, Headers = headers, Timestamp = timestamp },
            LeaderEpoch = leaderEpoch >= 0 ? leaderEpoch : null,
        };
    }

    private void Advance(PartitionState state, long offset)
    {
        state.Position = offset + 1;
        if (_settings.EnableAutoOffsetStore) state.Stored = offset + 1;
        state.EofReported = false;
    }

    private static Headers ReadHeaders(in Record record)
    {
        var headers = new Headers();
        var reader = new RecordHeaderReader(record.Headers);
        for (int i = 0; i < record.HeaderCount && reader.TryReadNext(out var key, out var value, out bool valueIsNull); i++)
            headers.Add(Encoding.UTF8.GetString(key), valueIsNull ? null : value.ToArray());
        return headers;
    }

    /// <summary>With enable.partition.eof: a partition whose position reached the high watermark, once per arrival there.</summary>
    private ConsumeResult<TKey, TValue>? NextEof()
    {
        if (!_settings.EnablePartitionEof) return null;
        lock (_table.Sync)
        {
            foreach (var s in _table.StatesLocked)
            {
                if (s.EofReported || s.Paused || s.Source != PositionSource.Known || s.Buffered > 0 || s.HighWatermark < 0
                    || s.Position < s.HighWatermark) continue;
                s.EofReported = true;
                return new ConsumeResult<TKey, TValue>
                {
                    Topic = s.Topic, Partition = s.TopicPartition.Partition, Offset = s.Position, IsPartitionEOF = true, Message = null!,
                };
            }
        }
        return null;
    }

    /// <summary>Every auto.commit.interval.ms: commits the stored offsets that changed, without waiting (Java's commitAsync in poll).</summary>
    private void MaybeAutoCommit()
    {
        if (!_settings.EnableAutoCommit || _coordinator is null) return;
        long now = Environment.TickCount64;
        if (now < _nextAutoCommitTicks) return;
        _nextAutoCommitTicks = now + _settings.AutoCommitIntervalMs;
        var offsets = StoredOffsets(null, onlyChanged: true);
        if (offsets.Count > 0) _ = AutoCommitAsync(offsets);
    }

    private async Task AutoCommitAsync(List<(PartitionState State, TopicPartitionOffset Offset)> offsets)
    {
        try
        {
            using var cts = new CancellationTokenSource(_settings.DefaultApiTimeout);
            await _coordinator!.CommitAsync(offsets.Select(o => o.Offset).ToList(), cts.Token).ConfigureAwait(false);
            foreach (var (state, offset) in offsets) state.Committed = offset.Offset.Value;
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException)
        {
            System.Diagnostics.Trace.TraceWarning($"akkalog consumer {Name}: auto-commit failed: {e.Message}");
        }
    }
}
