using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// InitProducerId (key 22) for idempotent producers: hands out a producer id that no other
/// producer of this cluster has had (time-based, so unique across restarts too, and tagged with the
/// node id, so unique across brokers) at epoch 0, or, when
/// a v3+ producer sends its current id and epoch (KIP-360, after a sequence error), the same id
/// at the next epoch, which fences the old epoch. Transactional ids need a transaction
/// coordinator, which this broker does not have yet: COORDINATOR_NOT_AVAILABLE.
/// </summary>
public sealed class InitProducerIdHandler(BrokerServices broker) : RequestHandler<InitProducerIdRequest>
{
    private long _lastId = broker.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.InitProducerId;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 5;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        var response = new InitProducerIdResponse { ProducerId = -1, ProducerEpoch = -1 };
        if (!string.IsNullOrEmpty(request.TransactionalId))
        {
            response.ErrorCode = (short)ErrorCode.CoordinatorNotAvailable;
        }
        else if (context.ApiVersion >= 3 && request.ProducerId >= 0 && request.ProducerEpoch >= 0 && request.ProducerEpoch < short.MaxValue)
        {
            response.ProducerId = request.ProducerId;
            response.ProducerEpoch = (short)(request.ProducerEpoch + 1);
        }
        else
        {
            response.ProducerId = NextId();
            response.ProducerEpoch = 0;
        }
        return ValueTask.FromResult(HandlerResult.Of(response));
    }

    /// <summary>
    /// Milliseconds since 1970 times 1000 plus a counter (increasing, and past any id of an earlier
    /// run), times 1024 plus this broker's node id: brokers of a cluster hand out ids independently,
    /// and two producers sharing an id would have each other's batches taken for duplicates.
    /// </summary>
    private long NextId()
    {
        long floor = broker.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            long last = Volatile.Read(ref _lastId);
            long next = Math.Max(last + 1, floor);
            if (Interlocked.CompareExchange(ref _lastId, next, last) == last) return next * 1024 + (broker.Node.NodeId & 1023);
        }
    }
}
