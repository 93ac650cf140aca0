using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class SeLinuxOptionsCheckTests
{
    private const string AllowedContainers = """
        {"name":"a","securityContext":{"seLinuxOptions":{"type":"container_t"}}},
        {"name":"b","securityContext":{"seLinuxOptions":{"type":"container_init_t"}}},
        {"name":"c","securityContext":{"seLinuxOptions":{"type":"container_kvm_t","level":"s0:c1"}}},
        {"name":"d","securityContext":{"seLinuxOptions":{"type":"container_engine_t"}}}
        """;

    private const string BadContainers = """
        {"name":"e","securityContext":{"seLinuxOptions":{"type":"bar"}}},
        {"name":"f","securityContext":{"seLinuxOptions":{"user":"bar"}}},
        {"name":"g","securityContext":{"seLinuxOptions":{"role":"baz"}}}
        """;

    [Theory]
    [InlineData("{\"securityContext\":{\"seLinuxOptions\":{\"type\":\"foo\",\"user\":\"bar\",\"role\":\"baz\"}},\"containers\":[" + AllowedContainers + "," + BadContainers + "]}",
        "pod and containers \"e\", \"f\", \"g\" set forbidden securityContext.seLinuxOptions: types \"bar\", \"foo\"; user may not be set; role may not be set")]
    [InlineData("{\"securityContext\":{\"seLinuxOptions\":{\"type\":\"foo\",\"user\":\"bar\",\"role\":\"baz\"}},\"containers\":[" + AllowedContainers + "]}",
        "pod set forbidden securityContext.seLinuxOptions: type \"foo\"; user may not be set; role may not be set")]
    [InlineData("{\"securityContext\":{\"seLinuxOptions\":{}},\"containers\":[" + AllowedContainers + "," + BadContainers + "]}",
        "containers \"e\", \"f\", \"g\" set forbidden securityContext.seLinuxOptions: type \"bar\"; user may not be set; role may not be set")]
    [InlineData("""{"securityContext":{"seLinuxOptions":{"type":"bad"}}}""", "pod set forbidden securityContext.seLinuxOptions: type \"bad\"")]
    [InlineData("""{"securityContext":{"seLinuxOptions":{"user":"bad"}}}""", "pod set forbidden securityContext.seLinuxOptions: user may not be set")]
    [InlineData("""{"securityContext":{"seLinuxOptions":{"role":"bad"}}}""", "pod set forbidden securityContext.seLinuxOptions: role may not be set")]
    [InlineData("{\"containers\":[" + AllowedContainers + "]}", null)]
    public void V1Dot31_UpstreamCases(string spec, string? detail) =>
        CheckAssert.Result(SeLinuxOptionsCheck.V1Dot31, spec, "seLinuxOptions", detail);

    [Fact]
    public void V1Dot0_DoesNotAllowContainerEngineType() =>
        CheckAssert.Result(
            SeLinuxOptionsCheck.V1Dot0,
            """{"containers":[{"name":"d","securityContext":{"seLinuxOptions":{"type":"container_engine_t"}}}]}""",
            "seLinuxOptions",
            "container \"d\" set forbidden securityContext.seLinuxOptions: type \"container_engine_t\"");
}
