using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// DeleteTopics (key 20): removes topics and their data. v6+ may name topics by id. Fails with
/// TOPIC_DELETION_DISABLED when <c>delete.topic.enable</c> is false.
/// </summary>
public sealed class DeleteTopicsHandler(BrokerServices broker) : RequestHandler<DeleteTopicsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.DeleteTopics;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 6;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, DeleteTopicsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteTopicsResponse();
        var wanted = context.ApiVersion >= 6
            ? request.Topics.Select(t => (t.Name, t.TopicId))
            : request.TopicNames.Select(n => ((string?)n, Guid.Empty));
        foreach (var (name, id) in wanted)
        {
            var image = broker.Metadata.Current;
            string? resolved = name ?? (image.TopicsById.TryGetValue(id, out var byId) ? byId.Name : null);
            var result = new DeleteTopicsResponse.DeletableTopicResult { Name = resolved, TopicId = id };
            response.Responses.Add(result);
            if (resolved is null)
            {
                result.ErrorCode = (short)ErrorCode.UnknownTopicId;
                result.ErrorMessage = $"Topic id {id} does not exist.";
                continue;
            }
            if (image.TryGetTopic(resolved, out var topic)) result.TopicId = topic.Id;
            var outcome = await broker.Topics.DeleteTopicAsync(resolved, cancellationToken);
            result.ErrorCode = (short)outcome.Error;
            result.ErrorMessage = outcome.Message;
        }
        return HandlerResult.Of(response);
    }
}
