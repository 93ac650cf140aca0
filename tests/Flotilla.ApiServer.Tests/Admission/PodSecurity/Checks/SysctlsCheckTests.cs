using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class SysctlsCheckTests
{
    private static string Spec(params string[] names) =>
        "{\"securityContext\":{\"sysctls\":[" + string.Join(",", names.Select(n => $"{{\"name\":\"{n}\",\"value\":\"1\"}}")) + "]}}";

    [Fact]
    public void V1Dot0_ListsForbiddenNamesInOrder() =>
        CheckAssert.Result(SysctlsCheck.V1Dot0, Spec("a", "kernel.shm_rmid_forced", "b"), "forbidden sysctls", "a, b");

    [Theory]
    [InlineData("net.ipv4.ip_local_reserved_ports", false, true, true, true)]
    [InlineData("net.ipv4.tcp_keepalive_time", false, false, true, true)]
    [InlineData("net.ipv4.tcp_fin_timeout", false, false, true, true)]
    [InlineData("net.ipv4.tcp_rmem", false, false, false, true)]
    [InlineData("net.ipv4.tcp_wmem", false, false, false, true)]
    [InlineData("net.ipv4.ping_group_range", true, true, true, true)]
    [InlineData("kernel.msgmax", false, false, false, false)]
    public void SafeSetGrowsByVersion(string name, bool v1Dot0, bool v1Dot27, bool v1Dot29, bool v1Dot32)
    {
        var spec = Pods.Spec(Spec(name));
        var meta = new k8s.Models.V1ObjectMeta();
        Assert.Equal(v1Dot0, SysctlsCheck.V1Dot0(meta, spec).Allowed);
        Assert.Equal(v1Dot27, SysctlsCheck.V1Dot27(meta, spec).Allowed);
        Assert.Equal(v1Dot29, SysctlsCheck.V1Dot29(meta, spec).Allowed);
        Assert.Equal(v1Dot32, SysctlsCheck.V1Dot32(meta, spec).Allowed);
    }
}
