using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>Where a <see cref="StreamsApp"/> is in its life.</summary>
public enum StreamsState
{
    /// <summary>Built, not started.</summary>
    Created,
    /// <summary>Joining the group or restoring stores.</summary>
    Rebalancing,
    /// <summary>Processing its tasks.</summary>
    Running,
    /// <summary>Stopping: committing and closing.</summary>
    PendingShutdown,
    /// <summary>Stopped cleanly.</summary>
    NotRunning,
    /// <summary>Stopped by a failure (see <see cref="StreamsApp.Failure"/>).</summary>
    Error,
}

/// <summary>
/// Runs a <see cref="Topology"/>: one instance of the application (application.id is the consumer
/// group). Start more instances, in this or other processes, to share the tasks; the group moves tasks
/// and, through the changelogs, their state when instances come and go. At-least-once: see
/// <see cref="ProcessingGuarantee.AtLeastOnce"/>. The processing runs on a thread of its own.
/// </summary>
public sealed partial class StreamsApp : IAsyncDisposable
{
    private readonly Topology _topology;
    private readonly StreamsConfig _config;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamThread? _thread;
    private RuntimeTopics? _topics;
    private IDisposable? _stateLock;
    private volatile StreamsState _state = StreamsState.Created;

    /// <summary>Prepares an instance; <see cref="StartAsync"/> runs it. Throws <see cref="ArgumentException"/> for bad settings.</summary>
    public StreamsApp(Topology topology, StreamsConfig config)
    {
        _topology = topology ?? throw new ArgumentNullException(nameof(topology));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        config.Validate();
    }

    /// <summary>The current state.</summary>
    public StreamsState State => _state;

    /// <summary>Counters: processed, late-dropped, restored records and more.</summary>
    public StreamsMetrics Metrics { get; } = new();

    /// <summary>What stopped the application, when <see cref="State"/> is <see cref="StreamsState.Error"/>.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The tasks this instance runs now.</summary>
    public IReadOnlyList<TaskId> ActiveTasks => _thread?.Tasks.Keys.Order().ToList() ?? [];

    /// <summary>Records waiting in task buffers (for tests of back-pressure; read racily).</summary>
    internal int BufferedRecords => _thread?.Tasks.Values.Sum(t => t.Inputs.Sum(t.Buffered)) ?? 0;

    /// <summary>Raised when <see cref="State"/> changes (on the processing thread).</summary>
    public event Action<StreamsState>? StateChanged;

    /// <summary>Completes when the application stopped (faulted with the failure, if any).</summary>
    public Task Completion => _finished.Task;

    /// <summary>
    /// Checks the source topics, creates internal topics, and starts processing in the background.
    /// Throws <see cref="TopologyException"/> when topics are missing or joined topics are not co-partitioned.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_state != StreamsState.Created) throw new InvalidOperationException($"already started (state {_state})");
        SetState(StreamsState.Rebalancing);
        try
        {
            _stateLock = StateDirectoryLock.Acquire(_config);
            _topics = await RuntimeTopics.EnsureAsync(_topology, _config, cancellationToken);
            _thread = new StreamThread(_topology, _config, Metrics, _topics, _stop.Token);
        }
        catch (Exception e)
        {
            Failure = e;
            _stateLock?.Dispose();
            SetState(StreamsState.Error);
            _finished.TrySetException(e);
            throw;
        }
        _thread.TasksChanged += running =>
        {
            if (_state is StreamsState.PendingShutdown or StreamsState.NotRunning or StreamsState.Error) return;
            SetState(running ? StreamsState.Running : StreamsState.Rebalancing);
            if (running) _running.TrySetResult();
        };
        var thread = new Thread(RunThread) { Name = $"streams-{_config.ApplicationId}", IsBackground = true };
        thread.Start();
    }

    /// <summary>Starts, runs until <paramref name="cancellationToken"/> is cancelled, then stops cleanly; throws the failure if processing failed.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        using (cancellationToken.Register(() => _stop.Cancel())) await _finished.Task;
    }

    /// <summary>Waits until the instance has its tasks, restored, and processes (or throws <see cref="TimeoutException"/>).</summary>
    public async Task WaitUntilRunningAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_running.Task, _finished.Task, Task.Delay(timeout));
        if (done == _finished.Task) await _finished.Task;
        if (done != _running.Task) throw new TimeoutException($"not running after {timeout.TotalSeconds} s (state {_state})");
    }

    /// <summary>Commits, writes checkpoints, leaves the group (its tasks move to other instances) and stops.</summary>
    public async Task StopAsync()
    {
        if (_state == StreamsState.Created) { SetState(StreamsState.NotRunning); return; }
        if (_state is not (StreamsState.NotRunning or StreamsState.Error)) SetState(StreamsState.PendingShutdown);
        _stop.Cancel();
        try { await _finished.Task; } catch { /* Failure holds it */ }
    }

    /// <summary>Stops (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private void RunThread()
    {
        try
        {
            _thread!.Run();
            _stateLock?.Dispose();
            SetState(StreamsState.NotRunning);
            _finished.TrySetResult();
        }
        catch (Exception e)
        {
            Failure = e;
            _stateLock?.Dispose();
            _config.Log?.Invoke($"[{_config.ApplicationId}] stopped by a failure: {e}");
            SetState(StreamsState.Error);
            _finished.TrySetException(e);
        }
    }

    private void SetState(StreamsState state)
    {
        if (_state == state) return;
        _state = state;
        StateChanged?.Invoke(state);
    }
}
