using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class AppArmorProfileCheckTests
{
    [Theory]
    [InlineData("""{"securityContext":{"appArmorProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"a","securityContext":{"appArmorProfile":{"type":"Localhost","localhostProfile":"p"}}}]}""", null, null)]
    [InlineData("""{"securityContext":{"appArmorProfile":{"type":"Unconfined"}}}""", "forbidden AppArmor profile", "pod must not set AppArmor profile type to \"Unconfined\"")]
    [InlineData("""{"securityContext":{"appArmorProfile":{"type":"RuntimeDefault"}},"containers":[{"name":"foo","securityContext":{"appArmorProfile":{"type":"Unconfined"}}}]}""", "forbidden AppArmor profile", "container \"foo\" must not set AppArmor profile type to \"Unconfined\"")]
    [InlineData("""{"containers":[{"name":"foo"}],"initContainers":[{"name":"bar","securityContext":{"appArmorProfile":{"type":"Unconfined"}}}]}""", "forbidden AppArmor profile", "container \"bar\" must not set AppArmor profile type to \"Unconfined\"")]
    public void V1Dot0_Fields(string spec, string? reason, string? detail) =>
        CheckAssert.Result(AppArmorProfileCheck.V1Dot0, spec, reason, detail);

    [Fact]
    public void V1Dot0_Annotations_AsUpstreamListsThem()
    {
        var annotations = new Dictionary<string, string>
        {
            ["container.apparmor.security.beta.kubernetes.io/"] = "bogus",
            ["container.apparmor.security.beta.kubernetes.io/a"] = "",
            ["container.apparmor.security.beta.kubernetes.io/b"] = "runtime/default",
            ["container.apparmor.security.beta.kubernetes.io/c"] = "localhost/",
            ["container.apparmor.security.beta.kubernetes.io/d"] = "localhost/foo",
            ["container.apparmor.security.beta.kubernetes.io/e"] = "unconfined",
            ["container.apparmor.security.beta.kubernetes.io/f"] = "unknown",
            ["env"] = "prod",
        };

        CheckAssert.Result(
            AppArmorProfileCheck.V1Dot0,
            "{}",
            "forbidden AppArmor profiles",
            "annotations must not set AppArmor profile type to " +
            "\"container.apparmor.security.beta.kubernetes.io/=\"bogus\"\", " +
            "\"container.apparmor.security.beta.kubernetes.io/e=\"unconfined\"\", " +
            "\"container.apparmor.security.beta.kubernetes.io/f=\"unknown\"\"",
            annotations);
    }
}
