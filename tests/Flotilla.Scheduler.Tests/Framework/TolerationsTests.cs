using Flotilla.Scheduler.Framework;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Framework;

public class TolerationsTests
{
    // The semantics of upstream v1.Toleration.ToleratesTaint: empty effect and key match all, Equal is the default.
    [Theory]
    [InlineData("foo", "Exists", "", "NoSchedule", "foo", "bar", "NoSchedule", true)]
    [InlineData("foo", "Equal", "bar", "NoSchedule", "foo", "bar", "NoSchedule", true)]
    [InlineData("foo", "", "bar", "NoSchedule", "foo", "bar", "NoSchedule", true)]
    [InlineData("foo", "Exists", "", "NoSchedule", "foo", "bar", "NoExecute", false)]
    [InlineData("foo", "Equal", "bar", "NoSchedule", "foo", "baz", "NoSchedule", false)]
    [InlineData("foo", "Equal", "bar", "NoSchedule", "bar", "bar", "NoSchedule", false)]
    [InlineData("", "Exists", "", "", "foo", "bar", "NoExecute", true)]
    [InlineData("", "Exists", "", "NoSchedule", "foo", "bar", "NoExecute", false)]
    [InlineData("foo", "Exists", "", "", "foo", "bar", "PreferNoSchedule", true)]
    [InlineData("foo", "Gt", "1", "", "foo", "2", "NoSchedule", false)]
    public void ToleratesTaint_KeyOperatorValueEffect_AsUpstream(
        string key, string op, string value, string effect, string taintKey, string taintValue, string taintEffect, bool expected)
    {
        var toleration = new V1Toleration { Key = key, OperatorProperty = op, Value = value, Effect = effect };
        var taint = new V1Taint { Key = taintKey, Value = taintValue, Effect = taintEffect };

        Assert.Equal(expected, Flotilla.Api.Selectors.TaintMatching.Tolerates(toleration, taint));
    }

    [Fact]
    public void FindUntoleratedTaint_SkipsExcludedAndTolerated_ReturnsFirstOther()
    {
        V1Taint[] taints =
        [
            new() { Key = "soft", Value = "x", Effect = "PreferNoSchedule" },
            new() { Key = "a", Value = "1", Effect = "NoSchedule" },
            new() { Key = "b", Value = "2", Effect = "NoExecute" },
            new() { Key = "c", Value = "3", Effect = "NoSchedule" },
        ];
        V1Toleration[] tolerations = [new() { Key = "a", OperatorProperty = "Exists" }];

        var found = Tolerations.FindUntoleratedTaint(taints, tolerations, Tolerations.IsDoNotSchedule);

        Assert.Equal("b", found?.Key);
        Assert.Null(Tolerations.FindUntoleratedTaint(taints, [new V1Toleration { OperatorProperty = "Exists" }], Tolerations.IsDoNotSchedule));
    }
}
