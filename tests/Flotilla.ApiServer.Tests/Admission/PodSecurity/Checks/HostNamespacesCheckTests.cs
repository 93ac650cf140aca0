using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class HostNamespacesCheckTests
{
    [Theory]
    [InlineData("{}", null)]
    [InlineData("""{"hostNetwork":false,"hostPID":false,"hostIPC":false}""", null)]
    [InlineData("""{"hostPID":true}""", "hostPID=true")]
    [InlineData("""{"hostNetwork":true,"hostIPC":true,"hostPID":true}""", "hostNetwork=true, hostPID=true, hostIPC=true")]
    public void V1Dot0_ForbidsEachHostNamespace(string spec, string? detail) =>
        CheckAssert.Result(HostNamespacesCheck.V1Dot0, spec, "host namespaces", detail);
}
