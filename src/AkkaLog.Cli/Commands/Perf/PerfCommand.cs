using System.CommandLine;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary><c>akkalog perf</c>: throughput and latency tests, like kafka-producer-perf-test and kafka-consumer-perf-test.</summary>
internal static class PerfCommand
{
    public static Command Create(CliServices services) => new("perf", "Measure produce and consume throughput and latency")
    {
        new PerfProduceCommand(services),
        new PerfConsumeCommand(services),
    };
}
