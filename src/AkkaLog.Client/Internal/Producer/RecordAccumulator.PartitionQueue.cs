namespace AkkaLog.Client.Internal.Producer;

internal sealed partial class RecordAccumulator
{
    /// <summary>
    /// One partition's batches, oldest first. Hold <see cref="Sync"/> to change or read the queue;
    /// <see cref="CountHint"/> and <see cref="HeadHint"/> may be read without it, as hints that can be stale.
    /// </summary>
    internal sealed class PartitionQueue(string topic, int partition)
    {
        private readonly List<ProducerBatch> _batches = new();
        private int _countHint;
        private ProducerBatch? _headHint;

        public string Topic { get; } = topic;
        public int Partition { get; } = partition;
        public AppendLock Sync { get; } = new();

        public int Count => _batches.Count;
        public ProducerBatch Head => _batches[0];
        public ProducerBatch? Last => _batches.Count > 0 ? _batches[^1] : null;

        /// <summary>A batch of this partition is in flight and no other may leave until it is answered (under the lock).</summary>
        public bool Muted { get; set; }

        /// <summary>The number of batches as of the last change, readable without the lock.</summary>
        public int CountHint => Volatile.Read(ref _countHint);

        /// <summary>The oldest batch as of the last change, readable without the lock.</summary>
        public ProducerBatch? HeadHint => Volatile.Read(ref _headHint);

        public void Add(ProducerBatch batch)
        {
            _batches.Add(batch);
            Changed();
        }

        public void Insert(int at, ProducerBatch batch)
        {
            _batches.Insert(at, batch);
            Changed();
        }

        public ProducerBatch RemoveHead()
        {
            var head = _batches[0];
            _batches.RemoveAt(0);
            Changed();
            return head;
        }

        /// <summary>Where a batch created as number <paramref name="order"/> belongs: after every older batch.</summary>
        public int PlaceOf(long order)
        {
            int at = 0;
            while (at < _batches.Count && _batches[at].Order < order) at++;
            return at;
        }

        private void Changed()
        {
            Volatile.Write(ref _headHint, _batches.Count > 0 ? _batches[0] : null);
            Volatile.Write(ref _countHint, _batches.Count);
        }
    }
}
