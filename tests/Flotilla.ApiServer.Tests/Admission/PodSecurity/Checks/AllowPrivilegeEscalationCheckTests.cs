using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class AllowPrivilegeEscalationCheckTests
{
    private const string Mixed = """{"containers":[{"name":"a"},{"name":"b","securityContext":{"allowPrivilegeEscalation":true}},{"name":"c","securityContext":{"allowPrivilegeEscalation":false}}]}""";

    [Theory]
    [InlineData("""{"containers":[{"name":"a","securityContext":{"allowPrivilegeEscalation":false}}]}""", null)]
    [InlineData(Mixed, "containers \"a\", \"b\" must set securityContext.allowPrivilegeEscalation=false")]
    public void V1Dot8_RequiresFalse(string spec, string? detail) =>
        CheckAssert.Result(AllowPrivilegeEscalationCheck.V1Dot8, spec, "allowPrivilegeEscalation != false", detail);

    [Fact]
    public void WindowsPods_ExemptFromV1Dot25Only()
    {
        var windows = """{"os":{"name":"windows"},"containers":[{"name":"a"}]}""";
        CheckAssert.Result(AllowPrivilegeEscalationCheck.V1Dot25, windows, null, null);
        CheckAssert.Result(AllowPrivilegeEscalationCheck.V1Dot8, windows, "allowPrivilegeEscalation != false", "container \"a\" must set securityContext.allowPrivilegeEscalation=false");
        CheckAssert.Result(AllowPrivilegeEscalationCheck.V1Dot25, """{"os":{"name":"linux"},"containers":[{"name":"a"}]}""", "allowPrivilegeEscalation != false", "container \"a\" must set securityContext.allowPrivilegeEscalation=false");
    }
}
