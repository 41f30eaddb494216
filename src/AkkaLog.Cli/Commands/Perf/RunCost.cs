using System.Diagnostics;

namespace AkkaLog.Cli.Commands.Perf;

/// <summary>
/// What a perf run cost this process: CPU seconds (user and kernel, all threads), bytes allocated
/// garbage collections by generation and their pauses, and the JIT's compiling (time and methods; compiling inside
/// the measured window means the warm-up did not cover a path). On a shared machine the client's CPU is what the broker
/// does not get, so these figures explain a throughput as much as the throughput itself.
/// </summary>
internal readonly record struct RunCost(double CpuSeconds, long AllocatedBytes, int Gen0, int Gen1, int Gen2, double GcPauseSeconds,
    double JitSeconds, long JitMethods)
{
    /// <summary>The process's totals so far.</summary>
    public static RunCost Now()
    {
        using var self = Process.GetCurrentProcess();
        return new RunCost(self.TotalProcessorTime.TotalSeconds, GC.GetTotalAllocatedBytes(precise: false),
            GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds,
            System.Runtime.JitInfo.GetCompilationTime().TotalSeconds, System.Runtime.JitInfo.GetCompiledMethodCount());
    }

    /// <summary>The cost between <paramref name="start"/> and this snapshot.</summary>
    public RunCost Since(RunCost start) => new(CpuSeconds - start.CpuSeconds, AllocatedBytes - start.AllocatedBytes,
        Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2, GcPauseSeconds - start.GcPauseSeconds,
        JitSeconds - start.JitSeconds, JitMethods - start.JitMethods);

    /// <summary>One line for people: CPU per GB, allocation per record, collections, compiling.</summary>
    public string Describe(long records, long bytes) => FormattableString.Invariant(
        $"client cost: {CpuSeconds:0.00} s CPU ({CpuSeconds / Math.Max(1e-9, bytes / 1e9):0.00} s per GB), {AllocatedBytes / (double)Math.Max(1, records):0} bytes allocated per record, GCs gen0 {Gen0} gen1 {Gen1} gen2 {Gen2} pausing {GcPauseSeconds * 1000:0} ms, JIT {JitSeconds * 1000:0} ms for {JitMethods} methods.");
}
