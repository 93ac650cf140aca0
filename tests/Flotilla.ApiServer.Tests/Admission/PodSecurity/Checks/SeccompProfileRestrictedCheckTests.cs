using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class SeccompProfileRestrictedCheckTests
{
    [Theory]
    [InlineData("""{"securityContext":{"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"a"}]}""", null)]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"seccompProfile":{"type":"Localhost","localhostProfile":"p"}}}]}""", null)]
    [InlineData("""{"containers":[{"name":"a"},{"name":"b"}]}""", "pod or containers \"a\", \"b\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"")]
    [InlineData("""{"securityContext":{"seccompProfile":{"type":"Unconfined"}},"containers":[{"name":"a"}]}""", "pod must not set securityContext.seccompProfile.type to \"Unconfined\"")]
    [InlineData(
        """{"securityContext":{"seccompProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"a","securityContext":{"seccompProfile":{"type":"Unconfined"}}},{"name":"b"}]}""",
        "container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\"")]
    public void V1Dot19_RequiresAProfile(string spec, string? detail) =>
        CheckAssert.Result(SeccompProfileRestrictedCheck.V1Dot19, spec, "seccompProfile", detail);

    [Fact]
    public void V1Dot25_ExemptsWindowsPods()
    {
        const string windows = """{"os":{"name":"windows"},"containers":[{"name":"a"}]}""";
        CheckAssert.Result(SeccompProfileRestrictedCheck.V1Dot25, windows, null, null);
        Assert.False(SeccompProfileRestrictedCheck.V1Dot19(new k8s.Models.V1ObjectMeta(), Pods.Spec(windows)).Allowed);
    }
}
