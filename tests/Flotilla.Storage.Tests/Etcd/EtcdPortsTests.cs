using Flotilla.Storage.Etcd;

namespace Flotilla.Storage.Tests.Etcd;

/// <summary>A managed etcd cluster's kept ports are free and outside the kernel's ephemeral range.</summary>
public sealed class EtcdPortsTests
{
    [Fact]
    public void KeptPorts_AreDistinct_FreeNow_AndBelowTheEphemeralRange()
    {
        var ports = EtcdProcess.KeptPorts(6);

        Assert.Equal(6, ports.Distinct().Count());
        // A kernel whose ephemeral range starts below 11000 leaves no room under it: ephemeral ports then.
        if (EtcdProcess.EphemeralStart() > 11000)
        {
            Assert.All(ports, p => Assert.InRange(p, 10000, EtcdProcess.EphemeralStart() - 1));
        }

        foreach (var port in ports)
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
