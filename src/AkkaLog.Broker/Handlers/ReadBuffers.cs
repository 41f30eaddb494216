namespace AkkaLog.Broker.Handlers;

/// <summary>Pooled log reads that back a fetch response; released once the response is written.</summary>
internal sealed class ReadBuffers : IDisposable
{
    private readonly List<IDisposable> _reads = [];

    public void Add(IDisposable read) => _reads.Add(read);

    public void Dispose()
    {
        foreach (var r in _reads) r.Dispose();
        _reads.Clear();
    }
}
