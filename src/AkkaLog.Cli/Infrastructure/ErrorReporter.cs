using System.Net.Sockets;
using AkkaLog.Client;
using AkkaLog.Client.Admin;
using AkkaLog.Protocol;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// Turns whatever a command threw into an exit code and one line for stderr (<c>akkalog: ...</c>).
/// Caught once, in <see cref="CliCommand"/>, so commands just throw. Kafka errors keep their
/// upper-snake name (UNKNOWN_TOPIC_OR_PARTITION) so scripts can grep for it; an unreachable cluster is
/// recognised anywhere in the exception chain and said plainly, since the client wraps the socket
/// error in retries and timeouts.
/// </summary>
internal static class ErrorReporter
{
    /// <summary>The exit code and message for <paramref name="error"/>.</summary>
    public static (int ExitCode, string Message) Describe(Exception error, string bootstrap) => error switch
    {
        UsageException u => (ExitCodes.BadArguments, u.Message),
        _ when Unreachable(error) is { } why => (ExitCodes.Failed, $"cannot reach {bootstrap} ({why})"),
        KafkaAdminException a => (ExitCodes.Failed, DescribeItems(a)),
        KafkaException k => (ExitCodes.Failed, Text(k.Error)),
        CliFailure f => (ExitCodes.Failed, f.Message),
        IOException io => (ExitCodes.Failed, io.Message),
        UnauthorizedAccessException ua => (ExitCodes.Failed, ua.Message),
        _ => (ExitCodes.Failed, $"unexpected error: {error.GetType().Name}: {error.Message}"),
    };

    /// <summary>
    /// Writes the message as one line to <paramref name="stderr"/> and returns the exit code; with
    /// <paramref name="debug"/> (the hidden <c>--debug</c> option) the whole exception follows.
    /// </summary>
    public static int Report(Exception error, string bootstrap, TextWriter stderr, bool debug = false)
    {
        var (code, message) = Describe(error, bootstrap);
        stderr.WriteLine("akkalog: " + OneLine(message));
        if (debug) stderr.WriteLine(error);
        stderr.Flush();
        return code;
    }

    /// <summary>Collapses line breaks so the message stays one line.</summary>
    public static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    /// <summary>Why the cluster could not be reached, or null when the error is not about reaching it.</summary>
    private static string? Unreachable(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException s)
            {
                return s.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                    _ => s.Message.ToLowerInvariant(),
                };
            }
        }
        // The client reports a dial that timed out, or every broker failing, as NETWORK_EXCEPTION
        // without a socket error underneath.
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is KafkaException { Code: ErrorCode.NetworkException } k
                && (k.Message.Contains("could not connect", StringComparison.Ordinal) || k.Message.Contains("no broker reachable", StringComparison.Ordinal)))
                return k.Message.Contains("timed out", StringComparison.Ordinal) ? "connection timed out" : "no broker answered";
        }
        return null;
    }

    private static string DescribeItems(KafkaAdminException e)
    {
        // Items that already quote their name (config resources: "Topic 'orders'") are not quoted again.
        var failed = e.Results.Where(r => r.Error.IsError)
            .Select(r => $"{(r.Item.Contains('\'') ? r.Item : $"'{r.Item}'")}: {Text(r.Error)}").ToList();
        return failed.Count == 0 ? Text(e.Error) : string.Join("; ", failed);
    }

    /// <summary>"NAME: reason", or just "NAME" when the broker sent no message (the client then uses the name as the reason).</summary>
    public static string Text(Error error)
    {
        string text = error.ToString();
        int colon = text.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && text[(colon + 2)..] == text[..colon] ? text[..colon] : text;
    }
}

/// <summary>A failure the CLI itself detects (a missing topic, a group that is not empty...); exit code 1.</summary>
public sealed class CliFailure(string message) : Exception(message);
