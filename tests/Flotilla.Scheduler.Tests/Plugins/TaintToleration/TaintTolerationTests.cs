using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.TaintToleration;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.TaintToleration;

public class TaintTolerationTests
{
    // Upstream taint_toleration_test.go TestTaintTolerationFilter.
    public static TheoryData<string, V1Toleration[], V1Taint[], string?> FilterCases => new()
    {
        { "A pod having no tolerations can't be scheduled onto a node with nonempty taints", [], [Taint("dedicated", "user1", "NoSchedule")], "node(s) had untolerated taint {dedicated: user1}" },
        { "A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule", [Toleration("dedicated", null, "user1", "NoSchedule")], [Taint("dedicated", "user1", "NoSchedule")], null },
        { "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule", [Toleration("dedicated", "Equal", "user2", "NoSchedule")], [Taint("dedicated", "user1", "NoSchedule")], "node(s) had untolerated taint {dedicated: user1}" },
        { "A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node", [Toleration("foo", "Exists", null, "NoSchedule")], [Taint("foo", "bar", "NoSchedule")], null },
        {
            "A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node",
            [Toleration("dedicated", "Equal", "user2", "NoSchedule"), Toleration("foo", "Exists", null, "NoSchedule")],
            [Taint("dedicated", "user2", "NoSchedule"), Taint("foo", "bar", "NoSchedule")], null
        },
        { "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node", [Toleration("foo", "Equal", "bar", "PreferNoSchedule")], [Taint("foo", "bar", "NoSchedule")], "node(s) had untolerated taint {foo: bar}" },
        { "The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node", [Toleration("foo", "Equal", "bar", null)], [Taint("foo", "bar", "NoSchedule")], null },
        { "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node", [Toleration("dedicated", "Equal", "user2", "NoSchedule")], [Taint("dedicated", "user1", "PreferNoSchedule")], null },
        { "The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node", [], [Taint("dedicated", "user1", "PreferNoSchedule")], null },
        { "NoExecute taints keep pods off too", [], [Taint("gone", "", "NoExecute")], "node(s) had untolerated taint {gone: }" },
    };

    // Upstream TestTaintTolerationScore: the nodes' taints and the normalised scores.
    public static TheoryData<string, V1Toleration[], V1Taint[][], long[]> ScoreCases => new()
    {
        {
            "node with taints tolerated by the pod, gets a higher score than those node with intolerable taints",
            [Toleration("foo", "Equal", "bar", "PreferNoSchedule")],
            [[Taint("foo", "bar", "PreferNoSchedule")], [Taint("foo", "blah", "PreferNoSchedule")]], [100, 0]
        },
        {
            "the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has",
            [Toleration("cpu-type", "Equal", "arm64", "PreferNoSchedule"), Toleration("disk-type", "Equal", "ssd", "PreferNoSchedule")],
            [[], [Taint("cpu-type", "arm64", "PreferNoSchedule")], [Taint("cpu-type", "arm64", "PreferNoSchedule"), Taint("disk-type", "ssd", "PreferNoSchedule")]], [100, 100, 100]
        },
        {
            "the more intolerable taints a node has, the lower score it gets.",
            [Toleration("foo", "Equal", "bar", "PreferNoSchedule")],
            [[], [Taint("cpu-type", "arm64", "PreferNoSchedule")], [Taint("cpu-type", "arm64", "PreferNoSchedule"), Taint("disk-type", "ssd", "PreferNoSchedule")]], [100, 50, 0]
        },
        {
            "only taints and tolerations that have effect PreferNoSchedule are checked by taints-tolerations priority function",
            [Toleration("cpu-type", "Equal", "arm64", "NoSchedule"), Toleration("disk-type", "Equal", "ssd", "NoSchedule")],
            [[], [Taint("cpu-type", "arm64", "NoSchedule")], [Taint("cpu-type", "arm64", "PreferNoSchedule"), Taint("disk-type", "ssd", "PreferNoSchedule")]], [100, 100, 0]
        },
        {
            "Default behaviour No taints and tolerations, lands on node with no taints",
            [], [[], [Taint("cpu-type", "arm64", "PreferNoSchedule")]], [100, 0]
        },
    };

    [Theory]
    [MemberData(nameof(FilterCases))]
    public void Filter_DoNotScheduleTaints_MustBeTolerated(string name, V1Toleration[] tolerations, V1Taint[] taints, string? reason)
    {
        var status = new TaintTolerationPlugin().Filter(new CycleState(), Make.Pod("pod1", tolerations: tolerations), Nodes.Info(Make.Node("nodeA", taints: taints)));

        Assert.True((reason is null ? StatusCode.Success : StatusCode.UnschedulableAndUnresolvable) == status.Code, $"{name}: {status}");
        Assert.Equal(reason is null ? [] : [reason], status.Reasons);
    }

    [Theory]
    [MemberData(nameof(ScoreCases))]
    public void Score_UntoleratedPreferNoSchedule_FewerScoresHigher(string name, V1Toleration[] tolerations, V1Taint[][] nodeTaints, long[] expected)
    {
        var plugin = new TaintTolerationPlugin();
        var state = new CycleState();
        var pod = Make.Pod("pod1", tolerations: tolerations);
        var nodes = nodeTaints.Select((t, i) => Nodes.Info(Make.Node($"node{i}", taints: t))).ToArray();

        Assert.Equal(StatusCode.Success, plugin.PreScore(state, pod, nodes).Code);
        var scores = nodes.Select(n => new NodeScore(n.Name, plugin.Score(state, pod, n).Score)).ToArray();
        Assert.Equal(StatusCode.Success, plugin.NormalizeScore(state, pod, scores).Code);

        Assert.True(expected.SequenceEqual(scores.Select(s => s.Score)), $"{name}: {string.Join(", ", scores.Select(s => s.Score))}");
    }

    [Fact]
    public void Score_WithoutPreScore_Errors()
    {
        var (_, status) = new TaintTolerationPlugin().Score(new CycleState(), Make.Pod("pod1"), Nodes.Info(Make.Node("nodeA")));

        Assert.Equal(StatusCode.Error, status.Code);
    }

    private static V1Taint Taint(string key, string value, string effect) => new() { Key = key, Value = value, Effect = effect };

    private static V1Toleration Toleration(string key, string? op, string? value, string? effect) =>
        new() { Key = key, OperatorProperty = op, Value = value, Effect = effect };
}
