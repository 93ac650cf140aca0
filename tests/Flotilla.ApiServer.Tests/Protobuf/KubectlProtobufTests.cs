using System.Text;
using System.Text.Json.Nodes;
using Flotilla.ApiServer.Tests.Patch;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>
/// The real kubectl 1.32 against the API server: what it sends for each command must be the golden body (so the
/// decoding tests use real bytes), and where the server serves the resource the command must succeed with the body
/// decoded to JSON.
/// </summary>
public sealed class KubectlProtobufTests(KubectlCaptureServer server) : IClassFixture<KubectlCaptureServer>
{
    [Theory]
    [MemberData(nameof(KubectlCase.Names), MemberType = typeof(KubectlCase))]
    public async Task Run_Kubectl_SendsTheGoldenProtobufBody(string name)
    {
        var command = KubectlCase.Named(name);
        await server.SetUpAsync(command);
        var (code, stdout, stderr, sent) = await server.RunKubectlAsync(command.Args);

        var body = Assert.Single(sent).Body;
        Assert.True(body.AsSpan().StartsWith("k8s\0"u8), "kubectl did not send a protobuf body");
        if (Golden.Update)
        {
            Golden.Write($"{name}.pb", body);
        }

        Assert.Equal(Golden.Read($"{name}.pb"), body);
        if (command.Served)
        {
            // The server created the object from the decoded JSON.
            Assert.True(code == 0, $"kubectl failed: {stderr}");
            Assert.EndsWith(" created\n", stdout, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(KubectlCase.DryRunNames), MemberType = typeof(KubectlCase))]
    public async Task DryRunClient_Kubectl_PrintsTheGoldenJson(string name)
    {
        var command = KubectlCase.Named(name);
        await server.SetUpAsync(command);
        var (code, stdout, stderr, sent) = await server.RunKubectlAsync([.. command.Args, "--dry-run=client", "-o", "json"]);

        Assert.True(code == 0, $"kubectl failed: {stderr}");
        Assert.Empty(sent);
        if (Golden.Update)
        {
            Golden.Write($"{name}.json", Encoding.UTF8.GetBytes(stdout));
        }

        JsonAssert.Equal(Encoding.UTF8.GetString(Golden.Read($"{name}.json")), JsonNode.Parse(stdout));
    }
}
