using System.Collections;
using System.Reflection;

namespace AkkaLog.Protocol.Tests.Messages;

/// <summary>
/// Fills every settable property of a generated message with a non-default value: numbers,
/// strings (some non-ASCII), bytes, UUIDs, two-element lists and nested structs.
/// </summary>
internal sealed class MessageFiller
{
    private int _counter;

    public T Fill<T>(T message)
        where T : class
    {
        FillObject(message, depth: 0);
        return message;
    }

    private void FillObject(object target, int depth)
    {
        foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite && property.GetIndexParameters().Length == 0)
            {
                property.SetValue(target, Value(property.PropertyType, depth));
            }
        }
    }

    private object? Value(Type type, int depth)
    {
        int n = ++_counter;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(sbyte)) return (sbyte)(n % 100 + 1);
        if (underlying == typeof(short)) return (short)(n + 1000);
        if (underlying == typeof(ushort)) return (ushort)(n + 40000);
        if (underlying == typeof(int)) return n * 100_003;
        if (underlying == typeof(uint)) return (uint)n * 3_000_017u;
        if (underlying == typeof(long)) return n * 10_000_000_019L;
        if (underlying == typeof(double)) return n + 0.25;
        if (underlying == typeof(bool)) return n % 2 == 0;
        if (underlying == typeof(Guid)) return new Guid(n, (short)n, (short)(n >> 16), 1, 2, 3, 4, 5, 6, 7, (byte)n);
        if (underlying == typeof(string)) return n % 3 == 0 ? $"žluť-{n}" : $"s{n}";
        if (underlying == typeof(ReadOnlyMemory<byte>)) return new ReadOnlyMemory<byte>([1, 2, 3, (byte)n]);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(underlying)!;
            var element = underlying.GetGenericArguments()[0];
            if (depth < 6)
            {
                list.Add(Value(element, depth + 1));
                list.Add(Value(element, depth + 1));
            }

            return list;
        }

        if (underlying.IsClass)
        {
            var nested = Activator.CreateInstance(underlying)!;
            FillObject(nested, depth + 1);
            return nested;
        }

        throw new NotSupportedException($"No filler for {type}.");
    }
}
