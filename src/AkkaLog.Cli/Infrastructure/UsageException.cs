namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// A command line that parsed but makes no sense (malformed <c>k=v</c>, conflicting options, a client
/// property the client rejects). Reported like a parse error: one line on stderr, exit code 2.
/// </summary>
public sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);
