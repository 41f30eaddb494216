using AkkaLog.Client.Internal.Producer;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>The partition queue's lock: one holder at a time, released on every path out.</summary>
public sealed class AppendLockTests
{
    [Fact]
    public void Threads_that_hold_it_in_turn_lose_no_update()
    {
        var gate = new AppendLock();
        long counter = 0;
        const int threads = 4, rounds = 200_000;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < rounds; i++)
            {
                using (gate.Hold())
                {
                    // Read, then write back: two holders at once would lose increments.
                    long seen = counter;
                    counter = seen + 1;
                }
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        Assert.Equal(threads * rounds, counter);
        Assert.False(gate.IsHeld);
    }

    [Fact]
    public void A_second_holder_waits_for_the_first_to_release()
    {
        var gate = new AppendLock();
        var started = new ManualResetEventSlim();
        int secondHolds = 0;
        Thread second;
        using (gate.Hold())
        {
            second = new Thread(() =>
            {
                started.Set();
                using (gate.Hold()) Volatile.Write(ref secondHolds, 1);
            });
            second.Start();
            started.Wait();
            Thread.Sleep(50);
            Assert.Equal(0, Volatile.Read(ref secondHolds));
        }
        Assert.True(second.Join(TimeSpan.FromSeconds(10)), "the waiting thread never got the lock");
        Assert.Equal(1, secondHolds);
    }

    [Fact]
    public void An_exception_inside_releases_it()
    {
        var gate = new AppendLock();
        void ThrowInside()
        {
            using (gate.Hold()) throw new InvalidOperationException("inside");
        }
        Assert.Throws<InvalidOperationException>(ThrowInside);
        Assert.False(gate.IsHeld);
        using (gate.Hold()) Assert.True(gate.IsHeld);
        Assert.False(gate.IsHeld);
    }
}
