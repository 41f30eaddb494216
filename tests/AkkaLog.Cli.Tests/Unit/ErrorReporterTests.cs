using System.Net.Sockets;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;
using AkkaLog.Client.Admin;
using AkkaLog.Protocol;

namespace AkkaLog.Cli.Tests.Unit;

/// <summary>Exit codes and messages for what commands throw.</summary>
public sealed class ErrorReporterTests
{
    [Fact]
    public void A_refused_connection_deep_in_the_chain_is_reported_plainly()
    {
        var socket = new SocketException((int)SocketError.ConnectionRefused);
        var dial = new KafkaException(ErrorCode.NetworkException, "could not connect to broker localhost:9092: Connection refused", socket);
        var timeout = new KafkaException(ErrorCode.NetworkException, "ListTopics did not complete within 10000 ms; last error: ...", dial);
        Assert.Equal((1, "cannot reach localhost:9092 (connection refused)"), ErrorReporter.Describe(timeout, "localhost:9092"));
    }

    [Fact]
    public void A_dial_timeout_is_reported_as_unreachable()
    {
        var dial = new KafkaException(ErrorCode.NetworkException, "could not connect to broker 10.0.0.1:9092: timed out after 10000 ms");
        Assert.Equal((1, "cannot reach b:1 (connection timed out)"), ErrorReporter.Describe(dial, "b:1"));
    }

    [Fact]
    public void Kafka_errors_keep_their_name()
    {
        var e = new KafkaException(ErrorCode.PolicyViolation, "no way");
        Assert.Equal((1, "POLICY_VIOLATION: no way"), ErrorReporter.Describe(e, "b:1"));
        var admin = new KafkaAdminException("CreateTopics", [new AdminItemResult("a", Error.NoError), new AdminItemResult("b", new Error(ErrorCode.TopicAlreadyExists))]);
        Assert.Equal((1, "'b': TOPIC_ALREADY_EXISTS"), ErrorReporter.Describe(admin, "b:1"));
    }

    [Fact]
    public void Usage_errors_exit_2_and_messages_stay_on_one_line()
    {
        Assert.Equal(2, ErrorReporter.Describe(new UsageException("bad"), "b:1").ExitCode);
        var stderr = new StringWriter();
        Assert.Equal(1, ErrorReporter.Report(new CliFailure("two\nlines"), "b:1", stderr));
        Assert.Equal("akkalog: two lines\n", stderr.ToString().Replace("\r\n", "\n"));
    }
}
