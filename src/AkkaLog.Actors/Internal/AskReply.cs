namespace AkkaLog.Actors.Internal;

/// <summary>
/// The reply channel handed to an Ask's message factory. It is the
/// <see cref="TaskCompletionSource{TResult}"/> itself (one allocation per Ask), created with
/// <see cref="TaskCreationOptions.RunContinuationsAsynchronously"/> so that an actor calling
/// <c>TrySetResult</c> never runs the asker's continuation on the actor's loop.
/// </summary>
internal sealed class AskReply<TReply> : TaskCompletionSource<TReply>, IAskReply
{
    public AskReply() : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
    }

    public void TryFail(Exception exception) => TrySetException(exception);
}
