namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// What the process exit code tells a script. Kept few and stable: scripts branch on them, and
/// <c>akkalog --help</c> prints this table (<see cref="HelpText"/>).
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>The cluster returned an error, could not be reached, or a local resource failed; one line on stderr says which.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown option, missing or malformed value); nothing was sent to the cluster.</summary>
    public const int BadArguments = 2;

    /// <summary>Interrupted by Ctrl+C or SIGTERM before finishing (<c>consume</c> treats that as a normal stop and exits 0).</summary>
    public const int Interrupted = 130;

    /// <summary>The exit-code section appended to the root command's help.</summary>
    public const string HelpText =
        """
        Exit codes:
          0    success
          1    Kafka or runtime error: the cluster refused the request or could not be reached
               (one line on stderr: "akkalog: <message>", with the Kafka error name such as
               UNKNOWN_TOPIC_OR_PARTITION)
          2    bad arguments (unknown command or option, missing or malformed value)
          130  interrupted (Ctrl+C); consume exits 0 when stopped this way
        """;
}
