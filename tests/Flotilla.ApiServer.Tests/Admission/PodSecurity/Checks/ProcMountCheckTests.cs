using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class ProcMountCheckTests
{
    [Theory]
    [InlineData("""{"containers":[{"name":"a"},{"name":"b","securityContext":{"procMount":"Default"}}]}""", null)]
    [InlineData(
        """{"containers":[{"name":"a","securityContext":{"procMount":"Default"}},{"name":"b","securityContext":{"procMount":"Unmasked"}},{"name":"c","securityContext":{"procMount":"Unmasked"}}]}""",
        "containers \"b\", \"c\" must not set securityContext.procMount to \"Unmasked\"")]
    public void V1Dot0_RequiresDefaultProcMount(string spec, string? detail) =>
        CheckAssert.Result(ProcMountCheck.V1Dot0, spec, "procMount", detail);
}
