using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class RunAsNonRootCheckTests
{
    [Theory]
    [InlineData("""{"securityContext":{"runAsNonRoot":true},"containers":[{"name":"a"},{"name":"b","securityContext":{"runAsNonRoot":true}}]}""", null)]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"runAsNonRoot":true}}]}""", null)]
    [InlineData(
        """{"securityContext":{"runAsNonRoot":false},"containers":[{"name":"a","securityContext":{"runAsNonRoot":false}},{"name":"b"}]}""",
        "pod and container \"a\" must not set securityContext.runAsNonRoot=false")]
    [InlineData("""{"securityContext":{"runAsNonRoot":true},"containers":[{"name":"a","securityContext":{"runAsNonRoot":false}}]}""", "container \"a\" must not set securityContext.runAsNonRoot=false")]
    [InlineData("""{"containers":[{"name":"a"},{"name":"b","securityContext":{"runAsNonRoot":true}},{"name":"c"}]}""", "pod or containers \"a\", \"c\" must set securityContext.runAsNonRoot=true")]
    public void V1Dot0_ExplicitFalseBeforeUnset(string spec, string? detail) =>
        CheckAssert.Result(RunAsNonRootCheck.V1Dot0, spec, "runAsNonRoot != true", detail);
}
