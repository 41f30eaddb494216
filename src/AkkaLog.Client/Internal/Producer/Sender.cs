using AkkaLog.Client.Internal.Metadata;
using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>What the sender needs from <see cref="ProducerConfig"/>, read once.</summary>
internal sealed record SenderSettings(short Acks, int RequestTimeoutMs, int MaxInFlight, int MaxRequestSize, int Retries,
    TimeSpan RetryBackoff, TimeSpan RetryBackoffMax, long DeliveryTimeoutMs, Idempotence? Idempotence = null);

/// <summary>
/// The producer's background loop. Each pass fails batches that outlived delivery.timeout.ms,
/// drains the ready ones, and sends one Produce request per leader carrying all of that leader's
/// ready batches, keeping up to max.in.flight.requests.per.connection requests unanswered per
/// connection. Responses are handled by <c>Sender.Responses.cs</c>. The loop sleeps until the next
/// batch's linger ends or it is woken (a batch started or filled, a response, new metadata, a
/// connection came up, a flush).
/// </summary>
internal sealed partial class Sender : IAsyncDisposable
{
    // When work waits on something that does not wake us (a leader to be elected), look again this soon.
    private static readonly TimeSpan PollWhenBlocked = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(500);

    private readonly RecordAccumulator _accumulator;
    private readonly MetadataManager _metadata;
    private readonly ConnectionPool _pool;
    private readonly MemoryBudget _memory;
    private readonly SenderSettings _settings;
    private readonly SemaphoreSlim _wake = new(0);
    /// <summary>1 when a wake released <see cref="_wake"/> and the loop has not started its next pass since.</summary>
    private int _wakeQueued;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _inFlightRequests;

    public Sender(RecordAccumulator accumulator, MetadataManager metadata, ConnectionPool pool, MemoryBudget memory, SenderSettings settings)
    {
        _accumulator = accumulator;
        _metadata = metadata;
        _pool = pool;
        _memory = memory;
        _settings = settings;
        _metadata.Updated += Wake;
        _pool.StateChanged += Wake;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Makes the loop look again now; cheap and safe to call from anywhere, any number of times.</summary>
    public void Wake()
    {
        // Many wakes between two passes cost one pass: only the first since the loop last looked
        // releases the semaphore (a full SemaphoreSlim throws on Release, and an exception per
        // wake cost more than the wake).
        if (Volatile.Read(ref _wakeQueued) == 0 && Interlocked.Exchange(ref _wakeQueued, 1) == 0) _wake.Release();
    }

    /// <summary>Stops the loop. Call after flushing; anything still queued fails with <paramref name="error"/>.</summary>
    public async ValueTask StopAsync(Error error)
    {
        _stop.Cancel();
        Wake();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        foreach (var batch in _accumulator.TakeAll()) FailBatch(batch, error);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => StopAsync(new Error(ErrorCode.NetworkException, "the producer was closed"));

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TimeSpan wait;
            // From here on a wake releases the semaphore again: whatever it announces may come after this pass looked.
            Interlocked.Exchange(ref _wakeQueued, 0);
            try
            {
                wait = RunOnce();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bug here must not silently stop all delivery; keep going after a pause.
                System.Diagnostics.Trace.TraceError($"akkalog producer sender: {e}");
                wait = IdleWait;
            }
            try
            {
                await _wake.WaitAsync(wait, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private TimeSpan RunOnce()
    {
        long now = Environment.TickCount64;
        foreach (var batch in _accumulator.TakeExpired(now))
        {
            FailBatch(batch, batch.LastError ?? new Error(ErrorCode.RequestTimedOut,
                $"expiring {batch.Count} record(s) for {batch.Topic}-{batch.Partition}: {now - batch.CreatedTicks} ms has passed since batch creation"
                + (_initError is { } init ? $" (no producer id: {init.Reason})" : "")));
        }

        MaybeInitProducerId(now);
        var ready = _accumulator.Drain(_metadata.Current, CanSendTo, _settings.MaxRequestSize, now, out long next, out bool needsMetadata);
        if (needsMetadata) _metadata.RequestRefresh();
        foreach (var (node, batches) in ready) _ = SendAsync(node, batches);

        if (needsMetadata || (_accumulator.IncompleteCount > 0 && next == long.MaxValue)) return PollWhenBlocked;
        if (next == long.MaxValue) return IdleWait;
        return TimeSpan.FromMilliseconds(Math.Clamp(next - Environment.TickCount64, 0, IdleWait.TotalMilliseconds));
    }

    private bool CanSendTo(int node)
    {
        var connection = _pool.TryGetLive(node);
        if (connection is null)
        {
            _pool.IsReadyOrConnect(node);
            return false;
        }
        return connection.InFlight < _settings.MaxInFlight;
    }

    private void FailBatch(ProducerBatch batch, Error error)
    {
        _settings.Idempotence?.Abandoned(batch);
        Release(batch, batch.Fail(error));
    }

    private void CompleteBatch(ProducerBatch batch, long baseOffset, long logAppendTime, PersistenceStatus status)
    {
        _settings.Idempotence?.Acknowledged(batch);
        Release(batch, batch.Complete(baseOffset, logAppendTime, status));
    }

    /// <summary>Frees the batch's buffer.memory now; it counts as finished once its records were told (maybe later, by the dispatcher).</summary>
    private void Release(ProducerBatch batch, Settlement settlement)
    {
        if (settlement == Settlement.AlreadySettled) return;
        _memory.Release(batch.ReservedBytes);
        if (settlement == Settlement.Resolved) _accumulator.Finished(batch);
    }
}
