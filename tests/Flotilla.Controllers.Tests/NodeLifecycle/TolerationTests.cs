using Flotilla.Controllers.NodeLifecycle;
using k8s.Models;

namespace Flotilla.Controllers.Tests.NodeLifecycle;

public sealed class TolerationTests
{
    private static readonly V1Taint Unreachable = new() { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" };
    private static readonly V1Taint Custom = new() { Key = "dedicated", Value = "db", Effect = "NoExecute" };

    private static V1Toleration Exists(string? key, long? seconds = null, string? effect = "NoExecute") => new() { Key = key, OperatorProperty = "Exists", Effect = effect, TolerationSeconds = seconds };

    [Fact]
    public void NotTolerated_IsNow_ForeverIsInfinite_ElseTheShortest()
    {
        Assert.Null(TaintEvictionController.TolerationTime([Unreachable], null));
        Assert.Null(TaintEvictionController.TolerationTime([Unreachable, Custom], [Exists("node.kubernetes.io/unreachable", 300)]));
        Assert.Equal(Timeout.InfiniteTimeSpan, TaintEvictionController.TolerationTime([Unreachable], [Exists("node.kubernetes.io/unreachable")]));
        Assert.Equal(TimeSpan.FromSeconds(30), TaintEvictionController.TolerationTime(
            [Unreachable, Custom],
            [Exists("node.kubernetes.io/unreachable", 300), new V1Toleration { Key = "dedicated", OperatorProperty = "Equal", Value = "db", TolerationSeconds = 30 }]));
        Assert.Equal(TimeSpan.Zero, TaintEvictionController.TolerationTime([Unreachable], [Exists(null, 0, null)]));
    }

    [Theory]
    [InlineData("node.kubernetes.io/unreachable", "Exists", null, "NoExecute", true)]
    [InlineData("", "Exists", null, "", true)]                          // tolerates everything
    [InlineData("node.kubernetes.io/unreachable", "Exists", null, "NoSchedule", false)]
    [InlineData("dedicated", "Equal", "db", "NoExecute", false)]        // another key
    [InlineData("node.kubernetes.io/unreachable", "Equal", "x", "NoExecute", false)]  // the taint has no value
    public void Tolerates_AsUpstreamMatches(string key, string op, string? value, string effect, bool tolerated) =>
        Assert.Equal(tolerated, Flotilla.Api.Selectors.TaintMatching.Tolerates(new V1Toleration { Key = key, OperatorProperty = op, Value = value, Effect = effect }, Unreachable));
}
