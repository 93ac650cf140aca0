using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class SeccompProfileBaselineCheckTests
{
    [Theory]
    [InlineData("""{"containers":[{"name":"a"}]}""", null)]
    [InlineData("""{"securityContext":{"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"a","securityContext":{"seccompProfile":{"type":"Localhost","localhostProfile":"p"}}}]}""", null)]
    [InlineData(
        """{"securityContext":{"seccompProfile":{"type":"Unconfined"}},"containers":[{"name":"a","securityContext":{"seccompProfile":{"type":"Unconfined"}}},{"name":"b","securityContext":{"seccompProfile":{"type":"RuntimeDefault"}}}]}""",
        "pod and container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\"")]
    [InlineData(
        """{"containers":[{"name":"a","securityContext":{"seccompProfile":{"type":"Unconfined"}}},{"name":"b","securityContext":{"seccompProfile":{"type":"Bogus"}}}]}""",
        "containers \"a\", \"b\" must not set securityContext.seccompProfile.type to \"Bogus\", \"Unconfined\"")]
    public void V1Dot19_Fields(string spec, string? detail) =>
        CheckAssert.Result(SeccompProfileBaselineCheck.V1Dot19, spec, "seccompProfile", detail);

    [Fact]
    public void V1Dot0_Annotations()
    {
        var annotations = new Dictionary<string, string>
        {
            ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined",
            ["container.seccomp.security.alpha.kubernetes.io/a"] = "runtime/default",
            ["container.seccomp.security.alpha.kubernetes.io/b"] = "bogus",
            ["container.seccomp.security.alpha.kubernetes.io/c"] = "localhost/p",
            ["container.seccomp.security.alpha.kubernetes.io/d"] = "docker/default",
        };

        CheckAssert.Result(
            SeccompProfileBaselineCheck.V1Dot0,
            """{"containers":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]}""",
            "seccompProfile",
            "forbidden annotations container.seccomp.security.alpha.kubernetes.io/b=\"bogus\", seccomp.security.alpha.kubernetes.io/pod=\"unconfined\"",
            annotations);
    }

    [Fact]
    public void V1Dot19_IgnoresTheAnnotations() =>
        CheckAssert.Result(SeccompProfileBaselineCheck.V1Dot19, """{"containers":[{"name":"a"}]}""", null, null, new Dictionary<string, string> { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined" });
}
