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
}
