using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class DaemonSetDefaultsTests
{
    // Upstream's TestSetDefaultDaemonSetSpec.
    [Theory]
    [InlineData(
        "{}",
        """{"revisionHistoryLimit":10,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":1}}}""")]
    [InlineData(
        """{"updateStrategy":{"type":"OnDelete"},"revisionHistoryLimit":1}""",
        """{"revisionHistoryLimit":1,"updateStrategy":{"type":"OnDelete"}}""")]
    [InlineData(
        """{"updateStrategy":{"rollingUpdate":{"maxUnavailable":"10%"}}}""",
        """{"revisionHistoryLimit":10,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":"10%"}}}""")]
    public void Apply_Spec_RollingUpdateOneNodeAtATime(string spec, string expected)
    {
        var ds = Defaulted.SpecJson<V1DaemonSet>(spec);
        var actual = ds["spec"]!.AsObject();
        actual.Remove("template");

        JsonAssert.Equal(expected, actual);
    }
}
