using System.Diagnostics.CodeAnalysis;
using AkkaLog.Actors.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Actors;

/// <summary>
/// Spawns actors by unique name, finds them, and stops them all on <see cref="StopAsync"/>:
/// one at a time in reverse spawn order, so an actor spawned later (which may depend on earlier
/// ones) drains its mailbox while its dependencies still run. All timers and Ask timeouts use
/// the given <see cref="System.TimeProvider"/>, which lets tests drive time.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IActorRef> _actors = new(StringComparer.Ordinal);
    private readonly List<IActorRef> _spawnOrder = [];
    private bool _stopping;

    /// <summary>Creates a system; defaults are no logging and the real clock.</summary>
    public ActorSystem(ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock used by timers, restart windows and Ask timeouts.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Creates an actor and starts its loop. <paramref name="factory"/> is called now and again
    /// on every restart, so it must return a fresh instance each time.
    /// </summary>
    /// <param name="name">Unique among running actors; freed when the actor stops.</param>
    /// <param name="factory">Builds a new instance.</param>
    /// <param name="supervisor">Failure handling; <see cref="SupervisorStrategy.Default"/> when null.</param>
    /// <param name="mailboxCapacity">Bounded mailbox size; null for unbounded.</param>
    /// <exception cref="InvalidOperationException">The name is taken or the system is stopping.</exception>
    public ActorRef<TMessage> Spawn<TMessage>(
        string name,
        Func<Actor<TMessage>> factory,
        SupervisorStrategy? supervisor = null,
        int? mailboxCapacity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (mailboxCapacity is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mailboxCapacity), "Mailbox capacity must be positive.");
        }

        EnsureCanSpawn(name);
        var cell = new ActorCell<TMessage>(
            name, factory, supervisor ?? SupervisorStrategy.Default, mailboxCapacity, TimeProvider, _loggerFactory, OnTerminated);
        lock (_lock)
        {
            // Checked again: the factory ran outside the lock.
            EnsureCanSpawn(name);
            _actors.Add(name, cell.Self);
            _spawnOrder.Add(cell.Self);
        }

        cell.Start();
        return cell.Self;
    }

    /// <summary>Finds a running actor by name and message type.</summary>
    public bool TryGet<TMessage>(string name, [NotNullWhen(true)] out ActorRef<TMessage>? actorRef)
    {
        lock (_lock)
        {
            actorRef = _actors.GetValueOrDefault(name) as ActorRef<TMessage>;
            return actorRef is not null;
        }
    }

    /// <summary>Finds a running actor by name and message type, or throws <see cref="KeyNotFoundException"/>.</summary>
    public ActorRef<TMessage> Get<TMessage>(string name) =>
        TryGet<TMessage>(name, out var actorRef)
            ? actorRef
            : throw new KeyNotFoundException($"No running actor '{name}' of message type {typeof(TMessage).Name}.");

    /// <summary>Stops every actor (orderly, reverse spawn order) and refuses new spawns.</summary>
    public async Task StopAsync()
    {
        IActorRef[] actors;
        lock (_lock)
        {
            _stopping = true;
            actors = [.. _spawnOrder];
        }

        for (var i = actors.Length - 1; i >= 0; i--)
        {
            await actors[i].StopAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void EnsureCanSpawn(string name)
    {
        lock (_lock)
        {
            if (_stopping)
            {
                throw new InvalidOperationException("The actor system is stopping.");
            }

            if (_actors.ContainsKey(name))
            {
                throw new InvalidOperationException($"An actor named '{name}' already exists.");
            }
        }
    }

    private void OnTerminated(IActorRef actorRef)
    {
        lock (_lock)
        {
            if (_actors.TryGetValue(actorRef.Name, out var current) && ReferenceEquals(current, actorRef))
            {
                _actors.Remove(actorRef.Name);
            }

            _spawnOrder.Remove(actorRef);
        }
    }
}
