using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Consumer;

internal sealed partial class Fetcher
{
    /// <summary>Starting positions from the group's committed offsets; partitions without one go to auto.offset.reset.</summary>
    private async Task ResolveCommittedAsync(List<Target> targets)
    {
        try
        {
            var committed = await _committed!(targets.Select(t => t.State.TopicPartition).ToList(), _stop.Token).ConfigureAwait(false);
            lock (_table.Sync)
            {
                foreach (var t in targets)
                {
                    if (t.IsStale) continue;
                    if (committed.TryGetValue(t.State.TopicPartition, out long offset) && offset >= 0) Known(t.State, offset);
                    else t.State.Source = _settings.ResetSource;
                }
            }
        }
        catch (KafkaException e)
        {
            Failed(targets, e);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            Done(targets);
        }
    }

    /// <summary>Starting positions from ListOffsets (earliest or latest) on the leader <paramref name="node"/>.</summary>
    private async Task ResolveResetAsync(int node, List<Target> targets)
    {
        try
        {
            var connection = await _core.Pool.GetAsync(node, _stop.Token).ConfigureAwait(false);
            var offsets = await OffsetLookup.ListAsync(connection, targets.Select(t => (t.State.TopicPartition, t.Offset)).ToList(),
                _settings.IsolationByte, _stop.Token).ConfigureAwait(false);
            bool refresh = false, failed = false;
            long retryAt = Environment.TickCount64 + RetryDelayMs();
            lock (_table.Sync)
            {
                foreach (var t in targets)
                {
                    if (t.IsStale) continue;
                    var (error, offset) = offsets[t.State.TopicPartition];
                    if (error == ErrorCode.None && offset >= 0)
                    {
                        Known(t.State, offset);
                        continue;
                    }
                    refresh |= OffsetLookup.IsStaleMetadata(error);
                    if (error == ErrorCode.None || ErrorCodes.IsRetriable(error))
                    {
                        t.State.RetryAtTicks = retryAt;
                        continue;
                    }
                    _table.FailLocked(t.State, new KafkaException(error, $"ListOffsets for {t.State.TopicPartition}: {Error.Describe(error)}"));
                    failed = true;
                }
            }
            if (refresh) _core.Metadata.RequestRefresh();
            if (failed) _table.ConsumerWake.Set();
        }
        catch (KafkaException e)
        {
            Failed(targets, e);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            Done(targets);
        }
    }

    /// <summary>Sets a looked-up position (under the lock; no data exists for the partition while its source is not Known).</summary>
    private static void Known(PartitionState s, long offset)
    {
        s.Source = PositionSource.Known;
        s.Position = offset;
        s.FetchOffset = offset;
    }

    private void Done(List<Target> targets)
    {
        lock (_table.Sync)
        {
            foreach (var t in targets) t.State.InFlight = false;
        }
        _table.FetcherWake.Set();
    }
}
