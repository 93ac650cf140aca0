using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class WindowsHostProcessCheckTests
{
    [Theory]
    [InlineData("""{"securityContext":{"windowsOptions":{"hostProcess":false}},"containers":[{"name":"a","securityContext":{"windowsOptions":{"runAsUserName":"x"}}}]}""", null)]
    [InlineData(
        """{"securityContext":{"windowsOptions":{"hostProcess":true}},"containers":[{"name":"a","securityContext":{"windowsOptions":{"hostProcess":true}}},{"name":"b","securityContext":{"windowsOptions":{"hostProcess":true}}}]}""",
        "pod and containers \"a\", \"b\" must not set securityContext.windowsOptions.hostProcess=true")]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"windowsOptions":{"hostProcess":true}}}]}""", "container \"a\" must not set securityContext.windowsOptions.hostProcess=true")]
    public void V1Dot0_ForbidsHostProcess(string spec, string? detail) =>
        CheckAssert.Result(WindowsHostProcessCheck.V1Dot0, spec, "hostProcess", detail);
}
