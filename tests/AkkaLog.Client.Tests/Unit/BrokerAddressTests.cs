using AkkaLog.Client.Internal.Network;

namespace AkkaLog.Client.Tests.Unit;

public sealed class BrokerAddressTests
{
    [Fact]
    public void Bootstrap_list_parses_hosts_ports_defaults_and_ipv6()
    {
        var list = BrokerAddress.ParseList(" a:1, b ,PLAINTEXT://c:3,[::1]:4,[fe80::1],10.0.0.1:5");
        Assert.Equal([new("a", 1), new("b", 9092), new("c", 3), new("::1", 4), new("fe80::1", 9092), new BrokerAddress("10.0.0.1", 5)], list);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("a:0")]
    [InlineData("a:70000")]
    [InlineData(":9092")]
    [InlineData("[::1")]
    public void Bad_bootstrap_lists_are_rejected(string value) =>
        Assert.Equal("bootstrap.servers", Assert.Throws<ArgumentException>(() => BrokerAddress.ParseList(value)).ParamName);
}
