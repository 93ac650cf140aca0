using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class HostPortsCheckTests
{
    [Theory]
    [InlineData("""{"containers":[{"name":"a","ports":[{"containerPort":80},{"containerPort":81,"hostPort":0}]}]}""", null)]
    [InlineData("""{"containers":[{"name":"a","ports":[{"containerPort":80,"hostPort":8080}]}]}""", "container \"a\" uses hostPort 8080")]
    [InlineData(
        """{"containers":[{"name":"a","ports":[{"containerPort":1}]},{"name":"b","ports":[{"containerPort":1,"hostPort":20},{"containerPort":2,"hostPort":10}]},{"name":"c","ports":[{"containerPort":1,"hostPort":20},{"containerPort":2,"hostPort":9}]}]}""",
        "containers \"b\", \"c\" use hostPorts 10, 20, 9")]
    public void V1Dot0_ForbidsHostPorts_SortedAsText(string spec, string? detail) =>
        CheckAssert.Result(HostPortsCheck.V1Dot0, spec, "hostPort", detail);
}
