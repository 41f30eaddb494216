namespace AkkaLog.Actors.Internal;

/// <summary>
/// Untyped view of an Ask's reply channel, so the mailbox loop can fail a pending Ask
/// without knowing its reply type.
/// </summary>
internal interface IAskReply
{
    /// <summary>Completes the Ask with <paramref name="exception"/> unless already answered.</summary>
    void TryFail(Exception exception);
}
