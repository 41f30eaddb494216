using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

internal sealed partial class StreamThread
{
    /// <summary>Partitions are going to another member (or the group is re-forming): commit, then suspend their tasks.</summary>
    private void OnRevoked(List<TopicPartition> revoked)
    {
        if (!_failed) Commit();
        var affected = revoked.Select(tp => _taskByPartition.GetValueOrDefault(tp)).OfType<StreamTask>().Distinct().ToList();
        foreach (var task in affected)
        {
            task.ClearBuffers();
            _tasks.Remove(task.Id);
            _suspended[task.Id] = task;
        }
        foreach (var tp in revoked)
        {
            _taskByPartition.Remove(tp);
            _paused.Remove(tp);
        }
        Publish(running: false);
    }

    /// <summary>Partitions were taken away without a hand-over: their uncommitted work is void, close without committing.</summary>
    private void OnLost(List<TopicPartition> lost)
    {
        var affected = lost.Select(tp => _taskByPartition.GetValueOrDefault(tp)).OfType<StreamTask>().Distinct().ToList();
        foreach (var task in affected)
        {
            _tasks.Remove(task.Id);
            task.Close();
            foreach (var tp in task.Inputs)
            {
                _taskByPartition.Remove(tp);
                _paused.Remove(tp);
            }
        }
        Publish(running: false);
    }

    /// <summary>The group's assignment arrived: keep, resume or create the tasks it implies, restoring new ones' stores first.</summary>
    private void OnAssigned()
    {
        var wanted = _consumer.Assignment
            .Where(tp => _topics.SubByTopic.ContainsKey(tp.Topic))
            .GroupBy(tp => new TaskId(_topics.SubByTopic[tp.Topic], tp.Partition.Value))
            .ToDictionary(g => g.Key, g => g.ToList());
        var created = new List<StreamTask>();
        foreach (var (id, inputs) in wanted)
        {
            if (_tasks.ContainsKey(id)) continue;
            if (_suspended.Remove(id, out var task) && task.Inputs.ToHashSet().SetEquals(inputs))
            {
                _tasks[id] = task;
            }
            else
            {
                task?.Close();
                task = CreateTask(id, inputs);
                created.Add(task);
                _tasks[id] = task;
            }
            foreach (var tp in inputs) _taskByPartition[tp] = task;
        }
        foreach (var task in _suspended.Values) task.Close();
        _suspended.Clear();
        foreach (var id in _tasks.Keys.Where(id => !wanted.ContainsKey(id)).ToList())
        {
            var task = _tasks[id];
            _tasks.Remove(id);
            task.Close();
        }
        if (created.Count > 0) _restorer.Restore(created, _stopping);
        Log($"tasks now: {string.Join(", ", _tasks.Keys.Order())} ({created.Count} new)");
        Publish(running: true);
    }

    private StreamTask CreateTask(TaskId id, IEnumerable<TopicPartition> inputs)
    {
        var sub = _topology.SubTopologies[id.SubTopology];
        var context = new TaskContext(id, _config, _metrics, _collector, _config.ApplicationId) { Stopping = _stopping };
        string? dir = sub.Stores.Any(s => s.Persistent) ? Path.Combine(_config.StateDir, _config.ApplicationId, id.ToString()) : null;
        return new StreamTask(id, sub, context, _topics.Names, inputs, dir);
    }

    private void Publish(bool running)
    {
        _published = new Dictionary<TaskId, StreamTask>(_tasks);
        TasksChanged?.Invoke(running);
    }

    private void Shutdown(bool clean)
    {
        _failed = !clean;
        try
        {
            if (clean) _consumer.Close(); // revokes: commits once more and suspends the tasks
            else _consumer.Dispose();
        }
        catch (Exception e)
        {
            Log($"closing the consumer failed: {e.Message}");
        }
        foreach (var task in _tasks.Values.Concat(_suspended.Values)) task.Close();
        _tasks.Clear();
        _suspended.Clear();
        Publish(running: false);
        _collector.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _restorer.Dispose();
    }
}
