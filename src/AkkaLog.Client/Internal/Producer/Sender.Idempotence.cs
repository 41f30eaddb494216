using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Producer;

internal sealed partial class Sender
{
    private Task? _initializing;
    private long _initRetryAtTicks;
    private int _initFailures;

    /// <summary>The last reason InitProducerId failed, for the error of records that expire meanwhile.</summary>
    private Error? _initError;

    /// <summary>
    /// With enable.idempotence, asks any broker for a producer id (or, after a sequence gap, for the
    /// next epoch of ours, KIP-360) when one is wanted and no request is under way; retried with backoff.
    /// Nothing is drained meanwhile.
    /// </summary>
    private void MaybeInitProducerId(long now)
    {
        if (_settings.Idempotence is not { } idempotence || idempotence.IdentityWanted is null) return;
        if (_initializing is { IsCompleted: false } || now < _initRetryAtTicks) return;
        _initializing = InitProducerIdAsync(idempotence);
    }

    private async Task InitProducerIdAsync(Idempotence idempotence)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_settings.RequestTimeoutMs);
            var connection = await _pool.GetAnyAsync(timeout.Token).ConfigureAwait(false);
            short version = connection.Versions.Pick(ApiKey.InitProducerId);
            var (producerId, epoch) = idempotence.Identity;
            // v3+ can bump our own epoch (the broker then fences the old one); older brokers give a new id.
            bool bump = producerId >= 0 && version >= 3 && epoch < short.MaxValue - 1;
            var request = new InitProducerIdRequest
            {
                TransactionalId = null,
                TransactionTimeoutMs = 60_000,
                ProducerId = bump ? producerId : -1,
                ProducerEpoch = bump ? epoch : (short)-1,
            };
            var response = await connection.SendAsync<InitProducerIdResponse>(request, version, timeout.Token).ConfigureAwait(false);
            var error = Error.FromWire(response.ErrorCode, null);
            if (error.IsError) throw new KafkaException(error with { Reason = $"InitProducerId failed: {error.Reason}" });
            idempotence.SetIdentity(response.ProducerId, response.ProducerEpoch);
            _initFailures = 0;
            _initError = null;
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            _initError = e is KafkaException k ? k.Error : new Error(ErrorCode.RequestTimedOut, $"InitProducerId failed: {e.Message}");
            _initFailures++;
            var backoff = Network.ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, _initFailures);
            _initRetryAtTicks = Environment.TickCount64 + (long)backoff.TotalMilliseconds;
            System.Diagnostics.Trace.TraceWarning($"akkalog producer: {_initError.Reason}; retrying in {backoff.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            Wake();
        }
    }

    /// <summary>
    /// The idempotent producer's own errors; true when handled. A duplicate was written before: done.
    /// Out of sequence behind an earlier unacknowledged batch: wait for it and go again. Out of
    /// sequence as the earliest, or an unknown producer id: the broker lost our state, so take a new
    /// epoch and go again. A fenced epoch from before our own bump: go again under the new one.
    /// </summary>
    private bool SettleSequenceError(Idempotence idempotence, ProducerBatch batch, Error error)
    {
        switch (error.Code)
        {
            case ErrorCode.DuplicateSequenceNumber:
                CompleteBatch(batch, -1, -1, PersistenceStatus.Persisted);
                return true;
            case ErrorCode.OutOfOrderSequenceNumber when idempotence.IsBehindAnEarlierBatch(batch):
                RetryOrFail(batch, error, countAttempt: false, retriable: true);
                return true;
            case ErrorCode.OutOfOrderSequenceNumber or ErrorCode.UnknownProducerId:
                idempotence.RequestReset($"{batch.Topic}-{batch.Partition}: {error.Reason}");
                RetryOrFail(batch, error, countAttempt: true, retriable: true);
                return true;
            case ErrorCode.InvalidProducerEpoch when idempotence.IsFromEarlierIdentity(batch):
                RetryOrFail(batch, error, countAttempt: false, retriable: true);
                return true;
            default:
                return false;
        }
    }
}
