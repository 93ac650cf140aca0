using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class RunAsUserCheckTests
{
    [Theory]
    [InlineData("""{"securityContext":{"runAsUser":1000},"containers":[{"name":"a"},{"name":"b","securityContext":{"runAsUser":1}}]}""", null)]
    [InlineData("""{"securityContext":{"runAsUser":0},"containers":[{"name":"a","securityContext":{"runAsUser":0}},{"name":"b","securityContext":{"runAsUser":1000}}]}""", "pod and container \"a\" must not set runAsUser=0")]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"runAsUser":0}},{"name":"b","securityContext":{"runAsUser":0}}]}""", "containers \"a\", \"b\" must not set runAsUser=0")]
    public void V1Dot23_ForbidsRoot(string spec, string? detail) =>
        CheckAssert.Result(RunAsUserCheck.V1Dot23, spec, "runAsUser=0", detail);
}
