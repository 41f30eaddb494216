using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Network;

/// <summary>
/// One TCP connection to one broker, with requests pipelined on it. Each request gets a correlation
/// id and a pending entry; a background reader completes the entry whose id a response carries, so
/// any number of requests may be in flight (callers limit that themselves). A request unanswered
/// after request.timeout.ms closes the connection: Kafka answers in order on a connection, so one
/// late response means everything behind it is stuck too, and the Java client does the same.
/// A closed connection fails every pending request with a retriable <see cref="KafkaException"/>
/// (NETWORK_EXCEPTION or REQUEST_TIMED_OUT) and is never reopened; <see cref="ConnectionPool"/> dials
/// a new one. Safe to call from any thread.
/// </summary>
internal sealed partial class BrokerConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly ConnectionSettings _settings;
    private readonly ConcurrentDictionary<int, Pending> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Timer _timeoutTimer;
    private int _correlationId;
    private KafkaException? _closedReason;

    private BrokerConnection(TcpClient tcp, int nodeId, BrokerAddress address, ConnectionSettings settings)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _settings = settings;
        NodeId = nodeId;
        Address = address;
        // A coarse sweep is enough: timeouts are seconds long and only need to fire eventually.
        var period = TimeSpan.FromMilliseconds(Math.Clamp(settings.RequestTimeout.TotalMilliseconds / 10, 10, 250));
        _timeoutTimer = new Timer(static s => ((BrokerConnection)s!).ExpireRequests(), this, period, period);
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>The broker's node id (negative for a bootstrap connection whose id is not known yet).</summary>
    public int NodeId { get; }

    /// <summary>Where the connection goes.</summary>
    public BrokerAddress Address { get; }

    /// <summary>The versions negotiated with this broker.</summary>
    public NegotiatedVersions Versions { get; private set; } = null!;

    /// <summary>Requests sent and not yet answered.</summary>
    public int InFlight => _pending.Count;

    /// <summary>False once the connection has failed or been disposed.</summary>
    public bool IsAlive => Volatile.Read(ref _closedReason) is null;

    /// <summary>Completes when the connection closes.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Dials <paramref name="address"/> and negotiates API versions, within socket.connection.setup.timeout.ms.
    /// Throws a retriable <see cref="KafkaException"/> (NETWORK_EXCEPTION) when the broker cannot be reached.
    /// </summary>
    public static async Task<BrokerConnection> ConnectAsync(BrokerAddress address, int nodeId, ConnectionSettings settings,
        CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(settings.SetupTimeout);
        BrokerConnection? connection = null;
        try
        {
            await tcp.ConnectAsync(address.Host, address.Port, cts.Token).ConfigureAwait(false);
            connection = new BrokerConnection(tcp, nodeId, address, settings);
            connection.Versions = await connection.NegotiateVersionsAsync(cts.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or KafkaException
                                      && !cancellationToken.IsCancellationRequested)
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            else tcp.Dispose();
            if (e is KafkaException { Code: ErrorCode.UnsupportedVersion }) throw;
            string why = e is OperationCanceledException ? $"timed out after {settings.SetupTimeout.TotalMilliseconds:0} ms" : e.Message;
            throw new KafkaException(ErrorCode.NetworkException, $"could not connect to broker {address}: {why}", e);
        }
        catch
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            else tcp.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> at the negotiated version and parses the response.</summary>
    public Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new() =>
        SendAsync<TResponse>(request, Versions.Pick(request.ApiKey), cancellationToken);

    /// <summary>Sends <paramref name="request"/> at <paramref name="version"/> and parses the response.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        var frame = await SendFrameAsync(request, version, expectResponse: true, cancellationToken).ConfigureAwait(false);
        return Parse<TResponse>(frame.Memory, request.ApiKey, version);
    }

    /// <summary>
    /// Sends <paramref name="request"/> at <paramref name="version"/>, allowing <paramref name="timeout"/> for the
    /// answer instead of request.timeout.ms: for requests the broker holds on purpose (JoinGroup waits for
    /// the whole group, up to the rebalance timeout; Fetch up to fetch.max.wait.ms).
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version, TimeSpan timeout, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        var frame = await SendFrameAsync(request, version, expectResponse: true, cancellationToken, timeout).ConfigureAwait(false);
        return Parse<TResponse>(frame.Memory, request.ApiKey, version);
    }

    /// <summary>
    /// Sends a request whose answers must be handled in the order they arrive (Produce: delivery
    /// handlers run per partition in offset order). The caller's continuation runs on the connection's
    /// read loop, so it must be short and must not block.
    /// </summary>
    public async Task<TResponse> SendInOrderAsync<TResponse>(IKafkaRequest request, short version) where TResponse : IKafkaResponse, new()
    {
        var frame = await SendFrameAsync(request, version, expectResponse: true, CancellationToken.None, options: PendingOptions.InlineCompletion)
            .ConfigureAwait(false);
        return Parse<TResponse>(frame.Memory, request.ApiKey, version);
    }

    /// <summary>
    /// Sends a Fetch and returns the response with the lease on its pooled frame: the records in the
    /// response are slices of it, valid until the caller's reference and every reference it hands on
    /// are released.
    /// </summary>
    public async Task<(FetchResponse Response, FrameLease Lease)> SendFetchAsync(FetchRequest request, short version, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var frame = await SendFrameAsync(request, version, expectResponse: true, cancellationToken, timeout, PendingOptions.PooledFrame)
            .ConfigureAwait(false);
        var lease = new FrameLease(frame);
        try
        {
            return (Parse<FetchResponse>(frame.Memory, ApiKey.Fetch, version), lease);
        }
        catch
        {
            lease.Release();
            throw;
        }
    }

    /// <summary>Sends a request the broker does not answer (Produce with acks=0); completes once written.</summary>
    public Task SendWithoutResponseAsync(IKafkaRequest request, short version, CancellationToken cancellationToken) =>
        SendFrameAsync(request, version, expectResponse: false, cancellationToken);

    /// <summary>Closes the connection, failing whatever is pending.</summary>
    public ValueTask DisposeAsync()
    {
        Close(new KafkaException(ErrorCode.NetworkException, $"connection to broker {Address} was closed by the client"));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"broker {NodeId} ({Address})";

    private async Task<ResponseFrame> SendFrameAsync(IKafkaRequest request, short version, bool expectResponse, CancellationToken cancellationToken,
        TimeSpan? timeout = null, PendingOptions options = PendingOptions.None)
    {
        ThrowIfClosed();
        int correlationId = Interlocked.Increment(ref _correlationId);
        using var writer = new KafkaWriter(512);
        // Record batches (and any other large bytes field) go to the socket from where they are, not
        // through a copy into the frame: a produce request is mostly its batches.
        writer.WriteLargeBytesByReference(GatherWriteMinBytes);
        int sizeAt = writer.ReserveInt32();
        KafkaHeaders.WriteRequestHeader(writer, request.ApiKey, version, correlationId, _settings.ClientId);
        request.Write(writer, version);
        writer.PatchInt32(sizeAt, writer.Position - 4);

        Pending? pending = null;
        if (expectResponse)
        {
            pending = new Pending(request.ApiKey, version, Environment.TickCount64 + (long)(timeout ?? _settings.RequestTimeout).TotalMilliseconds,
                options);
            _pending[correlationId] = pending;
            // Close() marks the connection closed before it drains _pending; checking after adding
            // means either we see the mark or Close sees our entry.
            if (!IsAlive && _pending.TryRemove(correlationId, out _)) ThrowIfClosed();
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            // Never cancel a write half-way: a partial frame would corrupt the stream for everyone.
            await WriteFrameAsync(writer).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            Close(e);
            ThrowIfClosed();
        }
        finally
        {
            _writeLock.Release();
        }

        if (pending is null) return default;
        if (!cancellationToken.CanBeCanceled) return await pending.Completion.Task.ConfigureAwait(false);
        using var registration = cancellationToken.Register(static s =>
        {
            var (self, id) = ((BrokerConnection, int))s!;
            if (self._pending.TryRemove(id, out var p)) p.Completion.TrySetCanceled();
        }, (this, correlationId));
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Bytes fields at least this big are sent from their own memory (see <see cref="KafkaWriter.WriteLargeBytesByReference"/>).
    /// Low enough that a default 16 KiB batch is not copied: a request waiting behind others for the socket
    /// holds its frame, and with many in flight, frames of 16 KiB and more outgrew the shared array pool
    /// (2.7x the bytes allocated per record, 25% more client CPU, measured with 16 KiB batches).
    /// </summary>
    private const int GatherWriteMinBytes = 4 * 1024;

    /// <summary>Writes the frame: in one piece, or as a gather write of its own bytes and the referenced fields.</summary>
    private async ValueTask WriteFrameAsync(KafkaWriter writer)
    {
        if (!writer.HasReferences)
        {
            await _stream.WriteAsync(writer.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        var segments = new List<ArraySegment<byte>>(8);
        writer.GetSegments(segments);
        // A stream socket's send of a buffer list completes once all of it is written; check anyway,
        // since a short write would leave a torn frame on the connection.
        int sent = await _tcp.Client.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
        if (sent != writer.Position) throw new IOException($"sent {sent} of a {writer.Position}-byte frame to {this}");
    }

    private async Task ReadLoopAsync()
    {
        var prefix = new byte[4];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(prefix).ConfigureAwait(false);
                int size = BinaryPrimitives.ReadInt32BigEndian(prefix);
                // Check the declared size before allocating: a garbage prefix must not become a huge array.
                if (size < 4 || size > _settings.MaxResponseBytes)
                    throw new KafkaException(ErrorCode.NetworkException, $"{this} sent a response frame of {size} bytes");
                // The correlation id says whose answer this is before the body is read: a caller that owns
                // the frame (SendFetchAsync, releasing it through a FrameLease) gets a pooled array, every
                // other response its own array, because parsed responses may keep slices of it.
                await _stream.ReadExactlyAsync(prefix).ConfigureAwait(false);
                int correlationId = BinaryPrimitives.ReadInt32BigEndian(prefix);
                _pending.TryRemove(correlationId, out var pending);
                bool pooled = pending is not null && pending.Options.HasFlag(PendingOptions.PooledFrame);
                var buffer = pooled ? ArrayPool<byte>.Shared.Rent(size) : new byte[size];
                prefix.CopyTo(buffer, 0);
                var frame = new ResponseFrame(buffer, size, pooled);
                try
                {
                    await _stream.ReadExactlyAsync(buffer.AsMemory(4, size - 4)).ConfigureAwait(false);
                }
                catch
                {
                    frame.ReturnIfPooled();
                    pending?.Completion.TrySetException(new KafkaException(ErrorCode.NetworkException, $"connection to {this} failed mid-response"));
                    throw;
                }
                // Unknown ids belong to requests the caller cancelled; drop them.
                if (pending is null || !pending.Completion.TrySetResult(frame)) frame.ReturnIfPooled();
            }
        }
        catch (Exception e)
        {
            Close(e);
        }
    }

    private void ExpireRequests()
    {
        long now = Environment.TickCount64;
        foreach (var (_, p) in _pending)
        {
            if (now <= p.DeadlineTicks) continue;
            Close(new KafkaException(ErrorCode.RequestTimedOut,
                $"{p.Key} v{p.Version} request to {this} got no response within {_settings.RequestTimeout.TotalMilliseconds:0} ms"));
            return;
        }
    }

    private void Close(Exception reason)
    {
        var error = reason as KafkaException ?? new KafkaException(ErrorCode.NetworkException,
            $"connection to {this} failed: {(reason is EndOfStreamException ? "closed by the broker" : reason.Message)}", reason);
        if (Interlocked.CompareExchange(ref _closedReason, error, null) is not null) return;
        _timeoutTimer.Dispose();
        try { _tcp.Dispose(); } catch (ObjectDisposedException) { }
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var p)) p.Completion.TrySetException(error);
        }
        _closed.TrySetResult();
    }

    private void ThrowIfClosed()
    {
        var reason = Volatile.Read(ref _closedReason);
        if (reason is not null) throw new KafkaException(reason.Error, reason);
    }

    /// <summary>How a pending request's answer is delivered.</summary>
    [Flags]
    private enum PendingOptions
    {
        None = 0,
        /// <summary>The awaiting code resumes on the read loop itself, in the order the answers arrive.</summary>
        InlineCompletion = 1,
        /// <summary>The frame is read into a pooled array the caller releases (see <see cref="FrameLease"/>).</summary>
        PooledFrame = 2,
    }

    /// <summary>A request awaiting its answer; normally the awaiting code resumes on the thread pool.</summary>
    private sealed class Pending(ApiKey key, short version, long deadlineTicks, PendingOptions options)
    {
        public ApiKey Key { get; } = key;
        public short Version { get; } = version;
        public long DeadlineTicks { get; } = deadlineTicks;
        public PendingOptions Options { get; } = options;
        public TaskCompletionSource<ResponseFrame> Completion { get; } =
            new(options.HasFlag(PendingOptions.InlineCompletion) ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
