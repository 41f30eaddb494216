namespace AkkaLog.IntegrationTests.Fixtures;

/// <summary>kcat and kafkajs tests share one default broker.</summary>
[CollectionDefinition(Name)]
public sealed class SharedBrokerCollection : ICollectionFixture<SharedBrokerFixture>
{
    public const string Name = "shared broker";
}

/// <summary>Bad-input tests share a broker started with small limits and no auto topic creation.</summary>
[CollectionDefinition(Name)]
public sealed class LimitsBrokerCollection : ICollectionFixture<LimitsBrokerFixture>
{
    public const string Name = "limits broker";
}

/// <summary>Crash tests start and kill their own brokers.</summary>
[CollectionDefinition(Name)]
public sealed class CrashCollection
{
    public const string Name = "crash";
}

/// <summary>The fuzz test starts its own broker.</summary>
[CollectionDefinition(Name)]
public sealed class FuzzCollection
{
    public const string Name = "fuzz";
}

/// <summary>Group coordinator tests: each class brings its own broker(s); consumers must not compete with other tests.</summary>
[CollectionDefinition(Name)]
public sealed class GroupCollection
{
    public const string Name = "groups";
}
