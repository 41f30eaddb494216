using System.Buffers.Binary;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// Seeded mutations of valid request frames: byte flips, truncation (with a matching or a stale size
/// prefix), a random size prefix within a limit, extreme int16/int32 values over length fields,
/// inserted and deleted bytes.
/// </summary>
public sealed class FrameMutator(Random random, int maxFrameSize)
{
    /// <summary>A mutated copy of <paramref name="frame"/>, what was done, and whether the broker must wait for bytes that never come.</summary>
    public (byte[] Frame, string Mutation, bool Incomplete) Mutate(byte[] frame)
    {
        var f = (byte[])frame.Clone();
        switch (random.Next(7))
        {
            case 0:
            {
                int flips = 1 + random.Next(8);
                for (int i = 0; i < flips; i++) f[4 + random.Next(f.Length - 4)] ^= (byte)(1 + random.Next(255));
                return (f, $"flip {flips}", false);
            }
            case 1:
            {
                int keep = 4 + random.Next(f.Length - 4);
                var cut = f[..keep];
                BinaryPrimitives.WriteInt32BigEndian(cut, keep - 4);
                return (cut, $"truncate to {keep}", false);
            }
            case 2:
            {
                int keep = 4 + random.Next(f.Length - 4);
                return (f[..keep], $"truncate to {keep}, stale prefix", true);
            }
            case 3:
            {
                int size = random.Next(2) == 0 ? random.Next(f.Length + 16) : random.Next(maxFrameSize + 1);
                BinaryPrimitives.WriteInt32BigEndian(f, size);
                return (f, $"prefix {size} for {f.Length - 4}", size > f.Length - 4);
            }
            case 4:
            {
                int at = 4 + random.Next(Math.Max(1, f.Length - 8));
                int[] extremes = [-1, 0, int.MaxValue, int.MinValue, 0x7fff, -2, 0x10000];
                int v = extremes[random.Next(extremes.Length)];
                if (random.Next(2) == 0 || at + 4 > f.Length) BinaryPrimitives.WriteInt16BigEndian(f.AsSpan(at, 2), (short)v);
                else BinaryPrimitives.WriteInt32BigEndian(f.AsSpan(at, 4), v);
                return (f, $"extreme {v} at {at}", false);
            }
            case 5:
            {
                int at = 4 + random.Next(f.Length - 4), count = 1 + random.Next(16);
                var extra = new byte[count];
                random.NextBytes(extra);
                var g = f[..at].Concat(extra).Concat(f[at..]).ToArray();
                BinaryPrimitives.WriteInt32BigEndian(g, g.Length - 4);
                return (g, $"insert {count} at {at}", false);
            }
            default:
            {
                int at = 4 + random.Next(f.Length - 4), count = Math.Min(1 + random.Next(16), f.Length - at);
                var g = f[..at].Concat(f[(at + count)..]).ToArray();
                BinaryPrimitives.WriteInt32BigEndian(g, g.Length - 4);
                return (g, $"delete {count} at {at}", false);
            }
        }
    }
}
