using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class CapabilitiesRestrictedCheckTests
{
    [Theory]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"capabilities":{"drop":["ALL"],"add":["NET_BIND_SERVICE"]}}}]}""", null)]
    [InlineData(
        """{"containers":[{"name":"a","securityContext":{"capabilities":{"add":["FOO","BAR"]}}},{"name":"b","securityContext":{"capabilities":{"add":["BAR","BAZ"]}}},{"name":"c","securityContext":{"capabilities":{"add":["NET_BIND_SERVICE","CHOWN"],"drop":["ALL","FOO"]}}}]}""",
        "containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]; containers \"a\", \"b\", \"c\" must not include \"BAR\", \"BAZ\", \"CHOWN\", \"FOO\" in securityContext.capabilities.add")]
    [InlineData("""{"containers":[{"name":"a"},{"name":"b","securityContext":{}}]}""", "containers \"a\", \"b\" must set securityContext.capabilities.drop=[\"ALL\"]")]
    public void V1Dot22_DropAllAddOnlyNetBindService(string spec, string? detail) =>
        CheckAssert.Result(CapabilitiesRestrictedCheck.V1Dot22, spec, "unrestricted capabilities", detail);

    [Fact]
    public void V1Dot25_ExemptsWindowsPods() =>
        CheckAssert.Result(CapabilitiesRestrictedCheck.V1Dot25, """{"os":{"name":"windows"},"containers":[{"name":"a"}]}""", null, null);
}
