using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class PrivilegedCheckTests
{
    [Theory]
    [InlineData("""{"containers":[{"name":"a"},{"name":"b","securityContext":{"privileged":false}}]}""", null)]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"privileged":true}}]}""", "container \"a\" must not set securityContext.privileged=true")]
    [InlineData(
        """{"initContainers":[{"name":"i","securityContext":{"privileged":true}}],"containers":[{"name":"a","securityContext":{"privileged":true}},{"name":"b"}],"ephemeralContainers":[{"name":"e","securityContext":{"privileged":true}}]}""",
        "containers \"i\", \"a\", \"e\" must not set securityContext.privileged=true")]
    public void V1Dot0_ForbidsPrivilegedContainers_InitFirst(string spec, string? detail) =>
        CheckAssert.Result(PrivilegedCheck.V1Dot0, spec, "privileged", detail);
}
