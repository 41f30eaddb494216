using System.Collections;
using System.Net;
using AkkaLog.Broker;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Network;
using AkkaLog.Hocon;
using AkkaLog.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

BrokerConfig config;
try
{
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(e => (string)e.Key, e => (string?)e.Value);
    config = ServerSettings.Load(args, environment, AppContext.BaseDirectory);
}
catch (Exception e) when (e is ConfigException or HoconException)
{
    Console.Error.WriteLine($"akkalog-server: configuration error: {e.Message}");
    return 2;
}

var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(config.ShutdownTimeoutMs));
builder.WebHost.UseKestrelCore();
builder.WebHost.UseSockets(SocketTuning.Apply);

using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }));
var logger = loggerFactory.CreateLogger("AkkaLog.Server");
KafkaBroker broker;
try
{
    broker = await KafkaBroker.StartAsync(config, loggerFactory);
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"akkalog-server: configuration error: {e.Message}");
    return 2;
}

builder.Services.AddSingleton(config);
builder.Services.AddSingleton(broker.Dispatcher);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    foreach (var listener in config.Listeners)
    {
        var (host, port) = ListenerAddress.Parse(listener);
        Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> kafka = l => l.UseConnectionHandler<KafkaConnectionHandler>();
        if (string.IsNullOrEmpty(host) || host == "0.0.0.0") kestrel.ListenAnyIP(port, kafka);
        else if (host == "localhost") kestrel.ListenLocalhost(port, kafka);
        else kestrel.Listen(IPAddress.Parse(host), port, kafka);
    }
    if (config.AdminHttpListener is { } admin)
    {
        var (host, port) = ListenerAddress.Parse("HTTP://" + admin);
        if (string.IsNullOrEmpty(host) || host == "0.0.0.0") kestrel.ListenAnyIP(port);
        else if (host == "localhost") kestrel.ListenLocalhost(port);
        else kestrel.Listen(IPAddress.Parse(host), port);
    }
});

var app = builder.Build();
// Only the admin listener runs the HTTP pipeline; Kafka listeners are raw connection handlers.
app.Run(context => AdminApi.HandleAsync(context, broker));
app.Lifetime.ApplicationStarted.Register(() =>
    logger.LogInformation("AkkaLog broker {NodeId} serving {Listeners} (advertised as {Host}:{Port}), data in {LogDirs}, cluster {ClusterId}",
        config.NodeId, string.Join(", ", config.Listeners), broker.Services.Node.Host, broker.Services.Node.Port,
        string.Join(", ", config.LogDirs.Select(Path.GetFullPath)), broker.Services.Metadata.Current.ClusterId));
try
{
    await app.RunAsync();
}
finally
{
    logger.LogInformation("Stopping: draining partitions and closing logs");
    await broker.DisposeAsync();
    logger.LogInformation("Stopped cleanly");
}
return 0;
