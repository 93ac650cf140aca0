using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class CapabilitiesBaselineCheckTests
{
    [Theory]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"capabilities":{"add":["NET_BIND_SERVICE","CHOWN","KILL"],"drop":["ALL"]}}}]}""", null)]
    [InlineData(
        """{"containers":[{"name":"a","securityContext":{"capabilities":{"add":["FOO","BAR"]}}},{"name":"b","securityContext":{"capabilities":{"add":["BAR","BAZ"]}}},{"name":"c","securityContext":{"capabilities":{"add":["CHOWN"]}}}]}""",
        "containers \"a\", \"b\" must not include \"BAR\", \"BAZ\", \"FOO\" in securityContext.capabilities.add")]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"capabilities":{"add":["NET_RAW"]}}}]}""", "container \"a\" must not include \"NET_RAW\" in securityContext.capabilities.add")]
    public void V1Dot0_AllowsOnlyTheDefaultSet(string spec, string? detail) =>
        CheckAssert.Result(CapabilitiesBaselineCheck.V1Dot0, spec, "non-default capabilities", detail);
}
