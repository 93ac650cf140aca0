using Flotilla.Proxy.Iptables;
using Flotilla.Proxy.Model;

namespace Flotilla.Proxy.Tests.Iptables;

public sealed class ChainNamesTests
{
    private static readonly ServicePort Port = new(new ServicePortName("ns1", "svc1", "p80"), "tcp", "172.30.0.41", 80, 0, null, false, false, [], []);

    [Fact]
    public void ChainNames_AreUpstreamsHashes_CutToFitThePrefix()
    {
        // Upstream's fixtures: KUBE-SVC-XPGD46QRK7WJZT7O and KUBE-SEP-SXIVWICOYRO3J4NJ.
        Assert.Equal("FLOTILLA-SVC-XPGD46QRK7WJZT7", ChainNames.Cluster(Port));
        Assert.Equal("FLOTILLA-SVL-XPGD46QRK7WJZT7", ChainNames.Local(Port));
        Assert.Equal("FLOTILLA-EXT-XPGD46QRK7WJZT7", ChainNames.External(Port));
        Assert.Equal("FLOTILLA-SEP-SXIVWICOYRO3J4N", ChainNames.Endpoint(Port, new Endpoint("10.180.0.1", 80, true, true, false, false)));
        Assert.All(new[] { ChainNames.Cluster(Port), ChainNames.ExternalServices }, c => Assert.True(c.Length <= 28, c));
    }

    [Fact]
    public void OnlyPerServiceChains_MayBeFoundStale()
    {
        Assert.True(ChainNames.IsServiceChain("FLOTILLA-SEP-SXIVWICOYRO3J4N"));
        Assert.False(ChainNames.IsServiceChain(ChainNames.Services));
        Assert.False(ChainNames.IsServiceChain("FLOTILLA-MASQ-flotilla0"));
        Assert.False(ChainNames.IsServiceChain("KUBE-SVC-XPGD46QRK7WJZT7O"));
    }

    [Fact]
    public void ARule_SplitsIntoArguments_KeepingQuotedComments()
    {
        Assert.Equal(
            ["-m", "comment", "--comment", "flotilla service portals", "-j", "FLOTILLA-SERVICES"],
            IptablesRunner.Split("-m comment --comment \"flotilla service portals\" -j FLOTILLA-SERVICES"));
    }
}
