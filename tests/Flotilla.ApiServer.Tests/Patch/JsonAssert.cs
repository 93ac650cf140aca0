using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Tests.Patch;

internal static class JsonAssert
{
    /// <summary>Structural equality (member order aside, list order significant), showing both documents on failure.</summary>
    public static void Equal(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        if (!JsonNode.DeepEquals(expectedNode, actual))
        {
            Assert.Equal(expectedNode?.ToJsonString(), actual?.ToJsonString());
        }
    }
}
