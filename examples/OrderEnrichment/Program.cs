using AkkaLog.Examples;
using AkkaLog.Streams;

// Order enrichment: orders (key = order id, value = JSON) re-keyed by customer and joined with the customers
// table (a compacted topic) -> enriched orders. Orders of unknown customers go to a separate topic (left join).
// dotnet run --project examples/OrderEnrichment -- localhost:9092 [seconds]
string bootstrap = args.Length > 0 ? args[0] : "localhost:9092";
await ExampleTopics.EnsureAsync(bootstrap, ("customers", 2, true), ("orders", 3, false), ("enriched-orders", 2, false), ("orders-unknown-customer", 1, false));
await ExampleTopics.ProduceAsync(bootstrap, "customers", [("c1", "{\"name\":\"Alice\",\"tier\":\"gold\"}", 0), ("c2", "{\"name\":\"Bob\",\"tier\":\"basic\"}", 0)]);
await Task.Delay(500);
await ExampleTopics.ProduceAsync(bootstrap, "orders", [
    ("o1", "{\"customerId\":\"c1\",\"amount\":30.5}", 0), ("o2", "{\"customerId\":\"c2\",\"amount\":12}", 0), ("o3", "{\"customerId\":\"c9\",\"amount\":5}", 0)]);

var builder = new StreamsBuilder();
var customers = builder.Table("customers", new Materialized<string, Customer> { StoreName = "customers-store", ValueSerde = Serdes.Json<Customer>() });
var orders = builder.Stream("orders", Serdes.String, Serdes.Json<Order>())
    .SelectKey((_, order) => order.CustomerId);          // repartitioned by customer before the join
var enriched = orders.LeftJoin(customers, (order, customer) => new EnrichedOrder(order, customer));
var branches = enriched.Branch((_, e) => e.Customer is not null, (_, _) => true);
branches[0].Peek((_, e) => Console.WriteLine($"{e.Customer!.Name} ({e.Customer.Tier}) ordered {e.Order.Amount}"))
    .To("enriched-orders", Serdes.String, Serdes.Json<EnrichedOrder>());
branches[1].Peek((id, e) => Console.WriteLine($"unknown customer {id} for an order of {e.Order.Amount}"))
    .SelectValues(e => e.Order).To("orders-unknown-customer", Serdes.String, Serdes.Json<Order>());

using var stop = ExampleTopics.StopSignal(args);
await using var app = new StreamsApp(builder.Build(), new StreamsConfig { ApplicationId = "example-order-enrichment", BootstrapServers = bootstrap });
await app.RunAsync(stop.Token);

/// <summary>An order as produced to "orders".</summary>
public sealed record Order(string CustomerId, double Amount);

/// <summary>A customer as kept in the compacted "customers" topic.</summary>
public sealed record Customer(string Name, string Tier);

/// <summary>An order with its customer (null when unknown).</summary>
public sealed record EnrichedOrder(Order Order, Customer? Customer);
