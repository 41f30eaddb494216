using AkkaLog.Client.Admin;
using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Admin;

/// <summary>
/// <see cref="IAdminClient"/>. Each call runs through <see cref="RunAsync{T}"/>: an attempt that throws a
/// retriable <see cref="KafkaException"/> (lost connection, NOT_CONTROLLER, coordinator loading...) is
/// repeated after retry.backoff.ms (doubling) until the call's timeout; per-item failures that are
/// final come back as <see cref="KafkaAdminException"/> and are not retried. API-specific code lives
/// in the partial files by area (topics, configs, groups, cluster).
/// </summary>
internal sealed partial class AdminClient : IAdminClient
{
    // Item-level errors that mean "ask again (elsewhere)" rather than "this item failed".
    private static readonly HashSet<ErrorCode> RetryItemCodes =
    [
        ErrorCode.NotController, ErrorCode.CoordinatorLoadInProgress, ErrorCode.CoordinatorNotAvailable, ErrorCode.NotCoordinator,
        ErrorCode.LeaderNotAvailable, ErrorCode.NotLeaderOrFollower, ErrorCode.RequestTimedOut, ErrorCode.NetworkException,
    ];

    private readonly ClientCore _core;
    private readonly TimeSpan _defaultTimeout;
    private readonly int _retries;
    private int _disposed;

    public AdminClient(AdminClientConfig config)
    {
        _core = new ClientCore(config, allowAutoCreateTopics: false);
        _defaultTimeout = TimeSpan.FromMilliseconds(config.DefaultApiTimeoutMs);
        _retries = config.Retries;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _core.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="attempt"/>, retrying retriable failures until the call's timeout.</summary>
    private async Task<T> RunAsync<T>(string operation, AdminOptions? options, CancellationToken cancellationToken,
        Func<CancellationToken, Task<T>> attempt)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var timeout = options?.Timeout ?? _defaultTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        KafkaException? last = null;
        for (int tries = 1; ; tries++)
        {
            try
            {
                return await attempt(cts.Token).ConfigureAwait(false);
            }
            catch (KafkaException e) when (e is not KafkaAdminException && e.IsRetriable && tries <= _retries && !cts.IsCancellationRequested)
            {
                last = e;
                if (e.Code is ErrorCode.NotController or ErrorCode.NotLeaderOrFollower or ErrorCode.LeaderNotAvailable
                    or ErrorCode.UnknownTopicOrPartition)
                    _core.Metadata.RequestRefresh();
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(operation, timeout, last);
            }
            try
            {
                await Task.Delay(ConnectionSettings.Backoff(_core.Settings.RetryBackoff, _core.Settings.RetryBackoffMax, tries), cts.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(operation, timeout, last);
            }
        }
    }

    private Task RunAsync(string operation, AdminOptions? options, CancellationToken cancellationToken, Func<CancellationToken, Task> attempt) =>
        RunAsync(operation, options, cancellationToken, async ct =>
        {
            await attempt(ct).ConfigureAwait(false);
            return true;
        });

    private static KafkaException TimedOut(string operation, TimeSpan timeout, KafkaException? last) =>
        new(last?.Code ?? ErrorCode.RequestTimedOut,
            $"{operation} did not complete within {timeout.TotalMilliseconds:0} ms" + (last is null ? "" : $"; last error: {last.Error}"), last);

    /// <summary>The broker to send controller requests to (KRaft brokers forward them), from fresh metadata.</summary>
    private async Task<BrokerConnection> ControllerAsync(CancellationToken cancellationToken)
    {
        await _core.Metadata.FetchAsync([], allowAutoCreate: false, cancellationToken).ConfigureAwait(false);
        int controller = _core.Metadata.Current.ControllerId;
        return controller >= 0 && _core.Metadata.Current.Brokers.ContainsKey(controller)
            ? await _core.Pool.GetAsync(controller, cancellationToken).ConfigureAwait(false)
            : await _core.Pool.GetAnyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Turns per-item errors into the call's outcome: a retriable "ask again" error anywhere makes the
    /// attempt retry; other errors throw <see cref="KafkaAdminException"/> with every item's result.
    /// </summary>
    private static void Check(string operation, List<AdminItemResult> results)
    {
        var retry = results.FirstOrDefault(r => RetryItemCodes.Contains(r.Error.Code));
        if (retry is not null) throw new KafkaException(retry.Error.Code, $"{operation}: '{retry.Item}': {retry.Error.Reason}");
        if (results.Any(r => r.Error.IsError)) throw new KafkaAdminException(operation, results);
    }

    private static int TimeoutMs(AdminOptions? options, TimeSpan fallback) =>
        (int)Math.Min(int.MaxValue, (options?.Timeout ?? fallback).TotalMilliseconds);
}
