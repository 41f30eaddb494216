using System.Diagnostics;
using System.Reflection.Emit;
using AkkaLog.Cli.Commands.Perf;

namespace AkkaLog.Cli.Tests.Unit;

public sealed class JitSettleTests
{
    [Fact]
    public async Task Gives_up_at_its_limit_while_the_jit_keeps_compiling()
    {
        using var stop = new CancellationTokenSource();
        long compiled = 0;
        // A new dynamic method every 20 ms: the compiled-method count never stays put for the quiet period.
        var compiling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                CompileOne();
                Interlocked.Increment(ref compiled);
                await Task.Delay(20);
            }
        });
        var clock = Stopwatch.StartNew();
        await JitSettle.WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        clock.Stop();
        stop.Cancel();
        await compiling;

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"returned after {clock.Elapsed} although methods kept being compiled");
        Assert.True(Interlocked.Read(ref compiled) > 10);
    }

    [Fact]
    public async Task A_cancelled_wait_ends_with_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => JitSettle.WaitAsync(TimeSpan.FromSeconds(30), cancelled.Token));
    }

    private static void CompileOne()
    {
        var method = new DynamicMethod($"settle_probe_{Guid.NewGuid():N}", typeof(int), Type.EmptyTypes);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4, Random.Shared.Next());
        il.Emit(OpCodes.Ret);
        method.Invoke(null, null);
    }
}
