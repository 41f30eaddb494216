using AkkaLog.Client.Internal.Producer;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>buffer.memory back-pressure: reservations wait in line for released bytes, or time out.</summary>
public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task A_waiting_reservation_is_granted_once_enough_is_released()
    {
        var budget = new MemoryBudget(100);
        Assert.True(budget.TryReserve(80));
        var waiting = budget.ReserveAsync(50, TimeSpan.FromMinutes(1), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        // Someone is queued: a small reservation that would fit must not jump the line.
        Assert.False(budget.TryReserve(10));
        budget.Release(80);
        await waiting;
        Assert.Equal(50, budget.Available);
    }

    [Fact]
    public async Task A_reservation_that_never_fits_in_time_throws_and_leaves_the_budget_intact()
    {
        var budget = new MemoryBudget(100);
        Assert.True(budget.TryReserve(100));
        await Assert.ThrowsAsync<TimeoutException>(() => budget.ReserveAsync(1, TimeSpan.FromMilliseconds(20), CancellationToken.None).AsTask());
        budget.Release(100);
        Assert.Equal(100, budget.Available);
        Assert.True(budget.TryReserve(100));
    }

    [Fact]
    public async Task More_than_the_whole_budget_fails_at_once()
    {
        var budget = new MemoryBudget(100);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => budget.ReserveAsync(101, TimeSpan.FromMinutes(1), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_blocking_reservation_waits_for_a_release_and_times_out_cleanly()
    {
        var budget = new MemoryBudget(100);
        Assert.True(budget.TryReserve(100));
        var blocked = Task.Run(() => budget.Reserve(60, TimeSpan.FromMinutes(1)));
        await Task.Delay(50);
        Assert.False(blocked.IsCompleted);
        budget.Release(100);
        await blocked;
        Assert.Equal(40, budget.Available);

        Assert.Throws<TimeoutException>(() => budget.Reserve(41, TimeSpan.FromMilliseconds(20)));
        // The timed-out waiter left the line: what is free can be taken again.
        Assert.True(budget.TryReserve(40));
    }

    [Fact]
    public async Task Many_threads_reserving_and_releasing_at_once_lose_no_wake_up_and_no_byte()
    {
        // Reservations take the lock-free path while nobody waits and queue otherwise; releases wake waiters
        // without a lock unless someone waits. Four threads hammer a budget that fits only three records:
        // every reservation must be granted (a missed wake-up would time out) and the budget end full.
        var budget = new MemoryBudget(300);
        long granted = 0;
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                int bytes = 50 + (i + w) % 3 * 25;
                if (!budget.TryReserve(bytes)) budget.Reserve(bytes, TimeSpan.FromSeconds(10));
                Interlocked.Increment(ref granted);
                if (i % 64 == 0) Thread.Yield();
                budget.Release(bytes);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(80_000, granted);
        Assert.Equal(300, budget.Available);
        // Still usable in both forms afterwards.
        Assert.True(budget.TryReserve(300));
        var waiting = budget.ReserveAsync(100, TimeSpan.FromSeconds(5), CancellationToken.None).AsTask();
        budget.Release(300);
        await waiting;
        Assert.Equal(200, budget.Available);
    }

    [Fact]
    public async Task A_release_racing_a_reservation_that_is_about_to_wait_always_wakes_it()
    {
        // The narrow case: one thread holds the whole budget and releases it just as another finds it short
        // and queues. Only that one release can wake the waiter, so a lost wake-up shows as a timeout.
        var budget = new MemoryBudget(100);
        for (int i = 0; i < 5_000; i++)
        {
            Assert.True(budget.TryReserve(100));
            using var start = new Barrier(2);
            var waiter = Task.Run(() =>
            {
                start.SignalAndWait();
                budget.Reserve(100, TimeSpan.FromSeconds(5));
            });
            start.SignalAndWait();
            if (i % 2 == 0) Thread.SpinWait(i % 50);
            budget.Release(100);
            await waiter.WaitAsync(TimeSpan.FromSeconds(10));
            budget.Release(100);
        }
        Assert.Equal(100, budget.Available);
    }
}
