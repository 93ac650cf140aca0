using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class IngressPrinterTests
{
    // Upstream's TestPrintIngress, then host lists and TLS.
    public static TheoryData<string, V1Ingress, string[]> Ingresses => new()
    {
        {
            "default backend only",
            Ingress("foo", [], tls: false, ("2.3.4.5", "localhost.localdomain")),
            ["test1", "foo", "*", "2.3.4.5", "80", "10y"]
        },
        {
            "three hosts and TLS, no class",
            Ingress(null, ["a.example", "", "b.example", "c.example"], tls: true),
            ["test1", "<none>", "a.example,b.example,c.example", "", "80, 443", "10y"]
        },
        {
            "more than three hosts",
            Ingress("nginx", ["a", "b", "c", "d", "e"], tls: false, (null, "lb.example"), ("1.1.1.1", null)),
            ["test1", "nginx", "a,b,c + 2 more...", "1.1.1.1,lb.example", "80", "10y"]
        },
    };

    [Theory]
    [MemberData(nameof(Ingresses))]
    public void Cells_Ingress_MatchesKubectl(string scenario, V1Ingress ingress, string[] expected) =>
        Assert.True(expected.SequenceEqual(new IngressPrinter().Cells(ingress, Clock.Now).Cast<string>()), scenario);

    [Fact]
    public void Columns_MatchUpstream() =>
        Assert.Equal(["Name", "Class", "Hosts", "Address", "Ports", "Age"], new IngressPrinter().Columns.Select(c => c.Name));

    private static V1Ingress Ingress(string? className, string[] hosts, bool tls, params (string? Ip, string? Hostname)[] ingress) => new()
    {
        Metadata = new V1ObjectMeta { Name = "test1", CreationTimestamp = Clock.Ago(days: 3651) },
        Spec = new V1IngressSpec
        {
            IngressClassName = className,
            Rules = [.. hosts.Select(h => new V1IngressRule { Host = h })],
            Tls = tls ? [new V1IngressTLS { SecretName = "cert" }] : null,
        },
        Status = new V1IngressStatus
        {
            LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [.. ingress.Select(i => new V1IngressLoadBalancerIngress { Ip = i.Ip, Hostname = i.Hostname })] },
        },
    };
}
