using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class HostPathVolumesCheckTests
{
    [Theory]
    [InlineData("""{"volumes":[{"name":"a","emptyDir":{}}]}""", null)]
    [InlineData("""{"volumes":[{"name":"a","hostPath":{"path":"/a"}}]}""", "volume \"a\"")]
    [InlineData("""{"volumes":[{"name":"a","hostPath":{"path":"/a"}},{"name":"b","emptyDir":{}},{"name":"c","hostPath":{"path":"/c"}}]}""", "volumes \"a\", \"c\"")]
    public void V1Dot0_ForbidsHostPath(string spec, string? detail) =>
        CheckAssert.Result(HostPathVolumesCheck.V1Dot0, spec, "hostPath volumes", detail);
}
