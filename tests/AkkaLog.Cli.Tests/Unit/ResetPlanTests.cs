using AkkaLog.Cli.Commands.Groups;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Tests.Unit;

/// <summary>The arithmetic of <c>group reset-offsets</c>: targets and clamping to [log start, log end].</summary>
public sealed class ResetPlanTests
{
    private static readonly TopicPartition P0 = new("t", 0);
    private static readonly TopicPartition P1 = new("t", 1);
    private static readonly Dictionary<TopicPartition, WatermarkOffsets> Marks = new()
    {
        [P0] = new WatermarkOffsets(10, 50),
        [P1] = new WatermarkOffsets(0, 0),
    };
    private static readonly Dictionary<TopicPartition, long> Committed = new() { [P0] = 20 };

    private static long[] NewOffsets(ResetTarget target, long value, IEnumerable<TopicPartition>? partitions = null) =>
        ResetPlan.Compute(partitions ?? [P1, P0], Committed, Marks, target, value).Select(m => m.NewOffset).ToArray();

    [Fact]
    public void Targets()
    {
        Assert.Equal([10L, 0L], NewOffsets(ResetTarget.Earliest, 0));
        Assert.Equal([50L, 0L], NewOffsets(ResetTarget.Latest, 0));
        Assert.Equal([30L, 0L], NewOffsets(ResetTarget.Offset, 30));
        Assert.Equal([25L], NewOffsets(ResetTarget.ShiftBy, 5, [P0]));
    }

    [Fact]
    public void Offsets_are_clamped_to_the_log()
    {
        Assert.Equal([10L, 0L], NewOffsets(ResetTarget.Offset, 3));
        Assert.Equal([50L, 0L], NewOffsets(ResetTarget.Offset, 500));
        Assert.Equal([10L], NewOffsets(ResetTarget.ShiftBy, -100, [P0]));
        Assert.Equal([50L], NewOffsets(ResetTarget.ShiftBy, 100, [P0]));
    }

    [Fact]
    public void Rows_are_sorted_and_keep_the_current_offset()
    {
        var moves = ResetPlan.Compute([P1, P0], Committed, Marks, ResetTarget.Earliest, 0);
        Assert.Equal([(0, (long?)20), (1, null)], moves.Select(m => (m.Partition, m.CurrentOffset)));
    }

    [Fact]
    public void Shifting_without_a_committed_offset_fails()
    {
        var e = Assert.Throws<CliFailure>(() => NewOffsets(ResetTarget.ShiftBy, 1, [P1]));
        Assert.Contains("t-1", e.Message);
    }
}
