using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Partitions;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Cluster;

/// <summary>
/// Carries metadata changes to the broker: every image the store publishes is applied to the
/// replica manager (lead, follow, add, remove) and wakes the controller. Images arrive faster than
/// they may be applied; only the latest matters, so intermediate ones are skipped.
/// </summary>
public sealed class MetadataListener : IAsyncDisposable
{
    private readonly IMetadataStore _store;
    private readonly ReplicaManager _replicas;
    private readonly Controller _controller;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private MetadataImage? _pending;

    /// <summary>Subscribes to <paramref name="store"/> and starts applying.</summary>
    public MetadataListener(IMetadataStore store, ReplicaManager replicas, Controller controller, ILogger<MetadataListener> logger)
    {
        _store = store;
        _replicas = replicas;
        _controller = controller;
        _logger = logger;
        store.Changed += OnChanged;
        _loop = Task.Run(RunAsync);
        OnChanged(store.Current);
    }

    private void OnChanged(MetadataImage image)
    {
        Volatile.Write(ref _pending, image);
        try { _signal.Release(); }
        catch (SemaphoreFullException) { } // already signalled; the loop will read the latest image
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (true)
        {
            try { await _signal.WaitAsync(token); }
            catch (OperationCanceledException) { return; }
            var image = Interlocked.Exchange(ref _pending, null);
            if (image is null) continue;
            try { await _replicas.ApplyLatestAsync(); }
            catch (Exception e)
            {
                // A quiet cluster may send no further image: try again by ourselves.
                _logger.LogError(e, "Applying metadata failed; trying again in 1 s");
                _ = Task.Delay(1000, token).ContinueWith(_ => OnChanged(image), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
            _controller.Kick();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _store.Changed -= OnChanged;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
