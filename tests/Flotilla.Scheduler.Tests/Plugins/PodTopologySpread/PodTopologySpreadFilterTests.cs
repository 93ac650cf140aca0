using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.PodTopologySpread;
using Flotilla.Scheduler.Tests.Testing;
using k8s;
using k8s.Models;
using static Flotilla.Scheduler.Tests.Plugins.PodTopologySpread.Spread;
using static Flotilla.Scheduler.Tests.Testing.Cluster;
using Plugin = Flotilla.Scheduler.Plugins.PodTopologySpread.PodTopologySpreadPlugin;
using PreFilterState = Flotilla.Scheduler.Plugins.PodTopologySpread.PreFilterState;

namespace Flotilla.Scheduler.Tests.Plugins.PodTopologySpread;

/// <summary>PreFilter, Filter and the preemption extensions, with upstream's cases (filtering_test.go).</summary>
public sealed class PodTopologySpreadFilterTests
{
    private const StatusCode Fits = StatusCode.Success;
    private const StatusCode No = StatusCode.Unschedulable;
    private const StatusCode NoLabel = StatusCode.UnschedulableAndUnresolvable;

    private static readonly V1Node[] FourNodesTwoZones =
    [
        Node("node-a", "zone=zone1", "node=node-a"),
        Node("node-b", "zone=zone1", "node=node-b"),
        Node("node-x", "zone=zone2", "node=node-x"),
        Node("node-y", "zone=zone2", "node=node-y"),
    ];

    // Matching pods spread over node-a/b/x/y as 2/1/0/3.
    private static readonly V1Pod[] Spread2103 =
    [
        Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"),
        Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "foo"), Pod("p-y3", "node-y", "foo"),
    ];

    private static readonly Dictionary<string, FilterCase> FilterCases = new()
    {
        ["no existing pods"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [],
            [Fits, Fits, Fits, Fits]),
        ["no existing pods, incoming pod doesn't match itself"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Bar)),
            FourNodesTwoZones,
            [],
            [Fits, Fits, Fits, Fits]),
        ["existing pods in a different namespace do not count"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo").InNamespace("ns1"), Pod("p-b1", "node-a", "foo").InNamespace("ns2"), Pod("p-x1", "node-x", "foo"), Pod("p-y1", "node-y", "foo")],
            [Fits, Fits, No, No]),
        ["existing pods do not match null selector"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, null)),
            FourNodesTwoZones,
            [Pod("p-x1", "node-x", "foo"), Pod("p-y1", "node-y", "foo")],
            [Fits, Fits, Fits, Fits]),
        ["pods spread across zones as 3/3, all nodes fit"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            Spread2103,
            [Fits, Fits, Fits, Fits]),
        ["pods spread across zones as 1/2 due to absence of label 'zone' on node-b"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zon=zone1", "node=node-b"), Node("node-x", "zone=zone2", "node=node-x"), Node("node-y", "zone=zone2", "node=node-y")],
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-x1", "node-x", "foo"), Pod("p-y1", "node-y", "foo")],
            [Fits, NoLabel, No, No]),
        ["pod cannot be scheduled as all nodes don't have label 'rack'"] = new(
            Pod("p", null, "foo").With(Constraint(1, "rack", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-x", "zone=zone2", "node=node-x")],
            [],
            [NoLabel, NoLabel]),
        ["pods spread across nodes as 2/1/0/3, only node-x fits"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            Spread2103,
            [No, No, Fits, No]),
        ["pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit"] = new(
            Pod("p", null, "foo").With(Constraint(2, "node", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            Spread2103,
            [No, Fits, Fits, No]),
        ["pods spread across nodes as 2/1/0/3, but pod doesn't match itself"] = new(
            Pod("p", null, "bar").With(Constraint(1, "node", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            Spread2103,
            [No, Fits, Fits, No]),
        // Only node-a and node-y are domains (2/~1~/~0~/3); NodeAffinity itself is not run here, so node-b and node-x fit.
        ["incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits"] = new(
            Pod("p", null, "foo").WithNodeAffinity("node", "In", "node-a", "node-y").With(Constraint(1, "node", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            Spread2103,
            [Fits, Fits, Fits, No]),
        ["terminating Pods should be excluded"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b")],
            [Pod("p-a", "node-a", "foo").Terminating(), Pod("p-b", "node-b", "foo")],
            [Fits, No]),
        ["incoming pod has nodeAffinity, pods spread as 0/~2~/0/1, hence node-a fits"] = new(
            Pod("p", null, "foo").WithNodeAffinity("node", "NotIn", "node-b").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [Fits, Fits, No, No]),
        ["pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains, then the third node fits"] = new(
            Pod("p", null, "foo").With(Constraint(2, "node", DoNotSchedule, Foo, minDomains: 4)),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b"), Node("node-c", "node=node-c")],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-c1", "node-c", "foo")],
            [No, No, Fits]),
        ["pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains, then the all nodes fit"] = new(
            Pod("p", null, "foo").With(Constraint(2, "node", DoNotSchedule, Foo, minDomains: 2)),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b"), Node("node-c", "node=node-c")],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-c1", "node-c", "foo")],
            [Fits, Fits, Fits]),
        ["pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains, then the third and fourth nodes fit"] = new(
            Pod("p", null, "foo").With(Constraint(2, "zone", DoNotSchedule, Foo, minDomains: 3)),
            FourNodesTwoZones,
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [No, No, Fits, Fits]),
        ["pods spread across zone as 2/1, maxSkew is 2 and the number of domains > minDomains, then the all nodes fit"] = new(
            Pod("p", null, "foo").With(Constraint(2, "zone", DoNotSchedule, Foo, minDomains: 1)),
            FourNodesTwoZones,
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [Fits, Fits, Fits, Fits]),
        // Domains 1/1/0/~0~: node-y does not match the node selector, so it is no domain (NodeAffinity would reject it).
        ["NodeAffinityPolicy honored with labelSelectors"] = new(
            Pod("p", null, "foo").WithNodeSelector("foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-x", "node=node-x", "foo"), Node("node-y", "node=node-y")],
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [No, No, Fits, Fits]),
        ["NodeAffinityPolicy ignored with labelSelectors"] = new(
            Pod("p", null, "foo").WithNodeSelector("foo").With(Constraint(1, "node", DoNotSchedule, Foo, nodeAffinityPolicy: "Ignore")),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-x", "node=node-x", "foo"), Node("node-y", "node=node-y")],
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [No, No, Fits, No]),
        ["NodeAffinityPolicy honored with nodeAffinity"] = new(
            Pod("p", null, "foo").WithNodeAffinity("foo", "In", string.Empty).With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-x", "node=node-x", "foo"), Node("node-y", "node=node-y")],
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [No, No, Fits, Fits]),
        ["NodeAffinityPolicy ignored with nodeAffinity"] = new(
            Pod("p", null, "foo").WithNodeAffinity("foo", "In", string.Empty).With(Constraint(1, "node", DoNotSchedule, Foo, nodeAffinityPolicy: "Ignore")),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-x", "node=node-x", "foo"), Node("node-y", "node=node-y")],
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [No, No, Fits, No]),
        ["NodeTaintsPolicy honored"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo, nodeTaintsPolicy: "Honor")),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-x", "node=node-x", "foo"), Node("node-y", "node=node-y").Tainted()],
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [No, No, Fits, Fits]),
        ["NodeTaintsPolicy ignored"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-x", "node=node-x", "foo"), Node("node-y", "node=node-y").Tainted()],
            [Pod("p-b1", "node-a", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-y1", "node-y", "foo")],
            [No, No, Fits, No]),
        // Zone: any node; node: node-x. Both: node-x.
        ["two Constraints on zone and node, spreads = [3/3, 2/1/0/3]"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            Spread2103,
            [No, No, Fits, No]),
        // Zone: zone1 only; node: node-x only. Both: none.
        ["two Constraints on zone and node, spreads = [3/4, 2/1/0/4]"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [.. Spread2103, Pod("p-y4", "node-y", "foo")],
            [No, No, No, No]),
        ["Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]"] = new(
            Pod("p", null, "foo", "bar").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Bar)),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo"), Pod("p-y1", "node-y", "bar")],
            [No, No, Fits, No]),
    };

    private static readonly Dictionary<string, StateCase> PreFilterCases = new()
    {
        ["clean cluster with one spreadConstraint"] = new(
            Pod("p", null, "foo").With(Constraint(5, "zone", DoNotSchedule, Match("foo=bar"))),
            FourNodesTwoZones,
            [],
            [new("zone", 5, "foo=bar", [("zone1", 0), ("zone2", 0)], ("zone1", 0), ("zone2", 0))]),
        ["normal case with one spreadConstraint"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "foo")],
            [new("zone", 1, "foo", [("zone1", 3), ("zone2", 2)], ("zone2", 2), ("zone1", 3))]),
        ["normal case with null label selector"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, null)),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo"), Pod("p-y1", "node-y", "foo")],
            [new("zone", 1, string.Empty, [("zone1", 0), ("zone2", 0)], ("zone1", 0), ("zone2", 0))]),
        ["normal case with one spreadConstraint, on a 3-zone cluster"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            [.. FourNodesTwoZones, Node("node-o", "zone=zone3", "node=node-o"), Node("node-p", "zone=zone3", "node=node-p")],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "foo")],
            [new("zone", 1, "foo", [("zone1", 3), ("zone2", 2), ("zone3", 0)], ("zone3", 0), ("zone2", 2))]),
        ["namespace mismatch doesn't count"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo").InNamespace("ns1"), Pod("p-b1", "node-b", "foo"), Pod("p-y1", "node-y", "foo").InNamespace("ns2"), Pod("p-y2", "node-y", "foo")],
            [new("zone", 1, "foo", [("zone1", 2), ("zone2", 1)], ("zone2", 1), ("zone1", 2))]),
        ["soft spreadConstraints should be bypassed"] = new(
            Pod("p", null, "foo").With(
                Constraint(1, "zone", ScheduleAnyway, Foo), Constraint(1, "zone", DoNotSchedule, Foo),
                Constraint(1, "node", ScheduleAnyway, Foo), Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b"), Node("node-y", "zone=zone2", "node=node-y")],
            [.. Spread2103, Pod("p-y4", "node-y", "foo")],
            [
                new("zone", 1, "foo", [("zone1", 3), ("zone2", 4)], ("zone1", 3), ("zone2", 4)),
                new("node", 1, "foo", [("node-a", 2), ("node-b", 1), ("node-y", 4)], ("node-b", 1), ("node-a", 2)),
            ]),
        ["different labelSelectors - complex pods"] = new(
            Pod("p", null, "foo", "bar").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Bar)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b"), Node("node-y", "zone=zone2", "node=node-y")],
            [
                Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo", "bar"), Pod("p-b1", "node-b", "foo"),
                Pod("p-y1", "node-y", "foo"), Pod("p-y2", "node-y", "foo", "bar"), Pod("p-y3", "node-y", "foo"), Pod("p-y4", "node-y", "foo", "bar"),
            ],
            [
                new("zone", 1, "foo", [("zone1", 3), ("zone2", 4)], ("zone1", 3), ("zone2", 4)),
                new("node", 1, "bar", [("node-a", 1), ("node-b", 0), ("node-y", 2)], ("node-b", 0), ("node-a", 1)),
            ]),
        ["two spreadConstraints, and with podAffinity"] = new(
            Pod("p", null, "foo").WithNodeAffinity("node", "NotIn", "node-x").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [.. Spread2103, Pod("p-y4", "node-y", "foo")],
            [
                new("zone", 1, "foo", [("zone1", 3), ("zone2", 4)], ("zone1", 3), ("zone2", 4)),
                new("node", 1, "foo", [("node-a", 2), ("node-b", 1), ("node-y", 4)], ("node-b", 1), ("node-a", 2)),
            ]),
        ["NodeAffinityPolicy ignored with labelSelectors"] = new(
            Pod("p", null, "foo").WithNodeSelector("foo").With(Constraint(1, "node", DoNotSchedule, Bar, nodeAffinityPolicy: "Ignore")),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-c", "node=node-c", "bar")],
            [Pod("p-a", "node-a", "bar"), Pod("p-b", "node-b", "bar"), Pod("p-c", "node-b", "bar"), Pod("p-d", "node-c")],
            [new("node", 1, "bar", [("node-a", 1), ("node-b", 2), ("node-c", 0)], ("node-c", 0), ("node-a", 1))]),
        ["NodeAffinityPolicy honored with nodeAffinity"] = new(
            Pod("p", null, "foo").WithNodeAffinity("foo", "In", string.Empty).With(Constraint(1, "node", DoNotSchedule, Bar)),
            [Node("node-a", "node=node-a", "foo"), Node("node-b", "node=node-b", "foo"), Node("node-c", "node=node-c", "bar")],
            [Pod("p-a", "node-a", "bar"), Pod("p-c", "node-b", "bar"), Pod("p-d", "node-b", "bar"), Pod("p-e", "node-c")],
            [new("node", 1, "bar", [("node-a", 1), ("node-b", 2)], ("node-a", 1), ("node-b", 2))]),
        ["NodeTaintsPolicy honored"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Bar, nodeTaintsPolicy: "Honor")),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b"), Node("node-c", "node=node-c", "bar").Tainted()],
            [Pod("p-a", "node-a", "bar"), Pod("p-b", "node-b", "bar"), Pod("p-c", "node-b", "bar"), Pod("p-d", "node-c")],
            [new("node", 1, "bar", [("node-a", 1), ("node-b", 2)], ("node-a", 1), ("node-b", 2))]),
        ["NodeTaintsPolicy honored with tolerated taints"] = new(
            Pod("p", null, "foo").Tolerating("node.kubernetes.io/unschedulable").With(Constraint(1, "node", DoNotSchedule, Bar, nodeTaintsPolicy: "Honor")),
            [Node("node-a", "node=node-a"), Node("node-b", "node=node-b"), Node("node-c", "node=node-c", "bar").Tainted()],
            [Pod("p-a", "node-a", "bar"), Pod("p-b", "node-b", "bar"), Pod("p-c", "node-b", "bar"), Pod("p-d", "node-c")],
            [new("node", 1, "bar", [("node-a", 1), ("node-b", 2), ("node-c", 0)], ("node-c", 0), ("node-a", 1))]),
        ["two node inclusion Constraints, zone: honor/ignore, node: honor/ignore"] = new(
            Pod("p", null, "foo").WithNodeSelector("foo").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Foo)),
            [
                Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b", "foo").Tainted(),
                Node("node-x", "zone=zone2", "node=node-x", "foo"), Node("node-y", "zone=zone2", "node=node-y"),
            ],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-x1", "node-x", "foo"), Pod("p-y1", "node-y", "foo")],
            [
                new("zone", 1, "foo", [("zone1", 0), ("zone2", 1)], ("zone1", 0), ("zone2", 1)),
                new("node", 1, "foo", [("node-b", 0), ("node-x", 1)], ("node-b", 0), ("node-x", 1)),
            ]),
        ["two node inclusion Constraints, zone: ignore/ignore, node: honor/honor"] = new(
            Pod("p", null, "foo").WithNodeSelector("foo").With(Constraint(1, "zone", DoNotSchedule, Foo, nodeAffinityPolicy: "Ignore"), Constraint(1, "node", DoNotSchedule, Foo, nodeTaintsPolicy: "Honor")),
            [
                Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b", "foo").Tainted(),
                Node("node-x", "zone=zone2", "node=node-x", "foo"), Node("node-y", "zone=zone2", "node=node-y", "foo"),
            ],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-x1", "node-x", "foo"), Pod("p-x2", "node-x", "foo"), Pod("p-y1", "node-y", "foo")],
            [
                new("zone", 1, "foo", [("zone1", 2), ("zone2", 3)], ("zone1", 2), ("zone2", 3)),
                new("node", 1, "foo", [("node-x", 2), ("node-y", 1)], ("node-y", 1), ("node-x", 2)),
            ]),
        ["matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty"] = new(
            Pod("p", null, "foo", "bar=a").With(Constraint(1, "zone", DoNotSchedule, Foo, matchLabelKeys: ["bar"])),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo", "bar=a"), Pod("p-b1", "node-b", "foo"), Pod("p-y1", "node-y", "foo", "bar=a"), Pod("p-y2", "node-y", "bar")],
            [new("zone", 1, "bar=a,foo", [("zone1", 1), ("zone2", 1)], ("zone1", 1), ("zone2", 1))]),
        ["matchLabelKeys ANDed with LabelSelector when LabelSelector is empty"] = new(
            Pod("p", null, "foo=a").With(Constraint(1, "zone", DoNotSchedule, new V1LabelSelector(), matchLabelKeys: ["foo"])),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo=a"), Pod("p-a2", "node-a", "foo=a"), Pod("p-b1", "node-b", "foo=a"), Pod("p-y1", "node-y", "foo=a"), Pod("p-y2", "node-y", "foo=a")],
            [new("zone", 1, "foo=a", [("zone1", 3), ("zone2", 2)], ("zone2", 2), ("zone1", 3))]),
        ["key in matchLabelKeys is ignored when it isn't exist in pod.labels"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo, matchLabelKeys: ["bar"])),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo=a"), Pod("p-a2", "node-a", "foo=a"), Pod("p-b1", "node-b", "foo=a"), Pod("p-y1", "node-y", "foo=a"), Pod("p-y2", "node-y", "foo=a")],
            [new("zone", 1, "foo", [("zone1", 3), ("zone2", 2)], ("zone2", 2), ("zone1", 3))]),
        ["two spreadConstraints with the same topologyKey"] = new(
            Pod("p", null, "foo", "bar").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "zone", DoNotSchedule, Bar)),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo", "bar"), Pod("p-b1", "node-b", "foo"), Pod("p-x1", "node-x", "bar"), Pod("p-y1", "node-y", "foo", "bar"), Pod("p-y2", "node-y", "bar")],
            [
                new("zone", 1, "foo", [("zone1", 2), ("zone2", 1)], ("zone2", 1), ("zone1", 2)),
                new("zone", 1, "bar", [("zone1", 1), ("zone2", 3)], ("zone1", 1), ("zone2", 3)),
            ]),
    };

    private static readonly Dictionary<string, UpdateCase> UpdateCases = new()
    {
        ["add: node a and b both impact current min match"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b")],
            [],
            Pod("p-a1", "node-a", "foo"),
            1,
            [new("node", 1, "foo", [("node-a", 1), ("node-b", 0)], ("node-b", 0), ("node-a", 1))]),
        ["add: only node a impacts current min match"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b")],
            [Pod("p-b1", "node-b", "foo")],
            Pod("p-a1", "node-a", "foo"),
            1,
            [new("node", 1, "foo", [("node-a", 1), ("node-b", 1)], ("node-a", 1), ("node-b", 1))]),
        ["add: a pod in a different namespace doesn't change topologyKeyToMinPodsMap"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b")],
            [Pod("p-b1", "node-b", "foo")],
            Pod("p-a1", "node-a", "foo").InNamespace("ns1"),
            1,
            [new("node", 1, "foo", [("node-a", 0), ("node-b", 1)], ("node-a", 0), ("node-b", 1))]),
        ["add: pod on non-critical node won't trigger re-calculation"] = new(
            Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b")],
            [Pod("p-b1", "node-b", "foo")],
            Pod("p-b2", "node-b", "foo"),
            1,
            [new("node", 1, "foo", [("node-a", 0), ("node-b", 2)], ("node-a", 0), ("node-b", 2))]),
        ["add: node a impacts topologyKeyToMinPodsMap on node, node x impacts topologyKeyToMinPodsMap on zone"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b"), Node("node-x", "zone=zone2", "node=node-x")],
            [Pod("p-b1", "node-b", "foo"), Pod("p-b2", "node-b", "foo"), Pod("p-x1", "node-x", "foo")],
            Pod("p-a1", "node-a", "foo"),
            1,
            [
                new("zone", 1, "foo", [("zone1", 3), ("zone2", 1)], ("zone2", 1), ("zone1", 3)),
                new("node", 1, "foo", [("node-a", 1), ("node-b", 2), ("node-x", 1)], ("node-a", 1), ("node-x", 1)),
            ]),
        ["add: a pod when scheduling node affinity unmatched pod"] = new(
            Pod("p", null, "foo").WithNodeAffinity("foo", "NotIn", "bar").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a", "foo=bar"), Node("node-b", "zone=zone2", "node=node-b", "foo")],
            [Pod("p-a2", "node-a", "foo", "zone=zone1"), Pod("p-b1", "node-b", "foo", "zone=zone2")],
            Pod("p-a1", "node-a", "foo", "zone=zone1"),
            1,
            [new("zone", 1, "foo", [("zone2", 1)], ("zone2", 1), (string.Empty, int.MaxValue))]),
        ["add: a label selector not matched pod"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a", "foo=bar"), Node("node-b", "zone=zone2", "node=node-b", "foo")],
            [Pod("p-a1", "node-a", "foo", "zone=zone1"), Pod("p-b2", "node-b", "foo", "zone=zone2")],
            Pod("p-b1", "node-b", "zone=zone2"),
            1,
            [new("zone", 1, "foo", [("zone1", 1), ("zone2", 1)], ("zone1", 1), ("zone2", 1))]),
        ["add: a pod when scheduling taint tolerated pod"] = new(
            Pod("p", null, "foo").Tolerating("node.kubernetes.io/unschedulable").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a").Tainted(), Node("node-b", "zone=zone2", "node=node-b")],
            [Pod("p-a1", "node-a", "foo", "zone=zone1"), Pod("p-b2", "node-b", "foo", "zone=zone2")],
            Pod("p-b1", "node-b", "foo", "zone=zone2"),
            1,
            [new("zone", 1, "foo", [("zone1", 1), ("zone2", 2)], ("zone1", 1), ("zone2", 2))]),
        ["remove: one spreadConstraint on zone, topologyKeyToMinPodsMap unchanged"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b"), Node("node-x", "zone=zone2", "node=node-x")],
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-x1", "node-x", "foo")],
            Pod("p-a1", "node-a", "foo"),
            -1,
            [new("zone", 1, "foo", [("zone1", 1), ("zone2", 1)], ("zone1", 1), ("zone2", 1))]),
        ["remove: one spreadConstraint on node, topologyKeyToMinPodsMap changed"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-x1", "node-x", "foo"), Pod("p-y1", "node-y", "foo")],
            Pod("p-a1", "node-a", "foo"),
            -1,
            [new("zone", 1, "foo", [("zone1", 1), ("zone2", 2)], ("zone1", 1), ("zone2", 2))]),
        ["remove: delete an irrelevant pod won't help"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            FourNodesTwoZones,
            [Pod("p-a0", "node-a", "bar"), Pod("p-a1", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-x1", "node-x", "foo"), Pod("p-y1", "node-y", "foo")],
            Pod("p-a0", "node-a", "bar"),
            -1,
            [new("zone", 1, "foo", [("zone1", 2), ("zone2", 2)], ("zone1", 2), ("zone2", 2))]),
        ["remove: two spreadConstraints"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo), Constraint(1, "node", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a"), Node("node-b", "zone=zone1", "node=node-b"), Node("node-x", "zone=zone2", "node=node-x")],
            [Pod("p-a1", "node-a", "foo"), Pod("p-a2", "node-a", "foo"), Pod("p-b1", "node-b", "foo"), Pod("p-x1", "node-x", "foo"), Pod("p-x2", "node-x", "foo")],
            Pod("p-x1", "node-x", "foo"),
            -1,
            [
                new("zone", 1, "foo", [("zone1", 3), ("zone2", 1)], ("zone2", 1), ("zone1", 3)),
                new("node", 1, "foo", [("node-a", 2), ("node-b", 1), ("node-x", 1)], ("node-b", 1), ("node-x", 1)),
            ]),
        ["remove: a pod when scheduling node affinity matched pod"] = new(
            Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo)),
            [Node("node-a", "zone=zone1", "node=node-a", "foo=bar"), Node("node-b", "zone=zone2", "node=node-b", "foo")],
            [Pod("p-a1", "node-a", "foo", "zone=zone1"), Pod("p-b2", "node-b", "foo", "zone=zone2")],
            Pod("p-b1", "node-b", "foo", "zone=zone2"),
            -1,
            [new("zone", 1, "foo", [("zone1", 1), ("zone2", 0)], ("zone2", 0), ("zone1", 1))]),
    };

    private static readonly Dictionary<string, DefaultCase> DefaultCases = new()
    {
        ["default constraints and a service"] = new(
            Pod("p", null, "foo=bar", "baz=kar"),
            [Service("s", "default", "foo=bar")],
            [Constraint(3, "node", DoNotSchedule, null), Constraint(2, "node", ScheduleAnyway, null), Constraint(5, "rack", DoNotSchedule, null)],
            "foo=bar"),
        ["default constraints and a service that doesn't match"] = new(
            Pod("p", null, "foo=bar"),
            [Service("s", "default", "baz=kep")],
            [Constraint(3, "node", DoNotSchedule, null)],
            null),
        ["default soft constraints and a service"] = new(
            Pod("p", null, "foo=bar"),
            [Service("s", "default", "foo=bar")],
            [Constraint(2, "node", ScheduleAnyway, null)],
            null),
        ["a service in another namespace does not select the pod"] = new(
            Pod("p", null, "foo=bar"),
            [Service("s", "other", "foo=bar")],
            [Constraint(3, "node", DoNotSchedule, null)],
            null),
        ["services and the replica set controlling the pod are ANDed"] = new(
            Pod("p", null, "foo=bar", "baz=kar", "tar=t").OwnedBy("apps/v1", "ReplicaSet", "rs1"),
            [Service("s", "default", "foo=bar"), Service("s2", "default", "baz=kar"), new V1ReplicaSet { Metadata = Meta("rs1"), Spec = new() { Selector = Exists("tar") } }],
            [Constraint(3, "node", DoNotSchedule, null)],
            "baz=kar,foo=bar,tar"),
        ["the replication controller's selector merges with the services'"] = new(
            Pod("p", null, "foo=bar", "app=a").OwnedBy("v1", "ReplicationController", "rc1"),
            [Service("s", "default", "foo=bar"), new V1ReplicationController { Metadata = Meta("rc1"), Spec = new() { Selector = LabelSets.Of("app=a") } }],
            [Constraint(3, "node", DoNotSchedule, null)],
            "app=a,foo=bar"),
        ["the stateful set controlling the pod"] = new(
            Pod("p", null, "app=db").OwnedBy("apps/v1", "StatefulSet", "db"),
            [new V1StatefulSet { Metadata = Meta("db"), Spec = new() { Selector = Match("app=db") } }],
            [Constraint(3, "node", DoNotSchedule, null)],
            "app=db"),
        ["an owner that is not the controller does not count"] = new(
            Pod("p", null, "tar=t").OwnedBy("apps/v1", "ReplicaSet", "rs1", controller: false),
            [new V1ReplicaSet { Metadata = Meta("rs1"), Spec = new() { Selector = Exists("tar") } }],
            [Constraint(3, "node", DoNotSchedule, null)],
            null),
    };

    public static TheoryData<string> FilterCaseNames => [.. FilterCases.Keys];

    public static TheoryData<string> PreFilterCaseNames => [.. PreFilterCases.Keys];

    public static TheoryData<string> UpdateCaseNames => [.. UpdateCases.Keys];

    public static TheoryData<string> DefaultCaseNames => [.. DefaultCases.Keys];

    [Theory]
    [MemberData(nameof(FilterCaseNames))]
    public async Task Filter_UpstreamCases(string name)
    {
        var c = FilterCases[name];
        await using var handle = new TestHandle(Snapshot(c.Nodes, c.Existing));
        var plugin = new Plugin(handle, new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List });
        var state = new CycleState();

        Assert.Equal(StatusCode.Success, plugin.PreFilter(state, c.Pod, handle.Snapshot.List()).Status.Code);
        var got = c.Nodes.Select(n => plugin.Filter(state, c.Pod, handle.Snapshot.Get(n.Metadata.Name)!).Code).ToArray();

        Assert.Equal(c.Want, got);
    }

    [Theory]
    [InlineData(false, Plugin.ReasonConstraintsNotMatch)]
    [InlineData(true, Plugin.ReasonNodeLabelNotMatch)]
    public async Task Filter_Rejected_UpstreamReason(bool missingLabel, string reason)
    {
        var node = missingLabel ? Node("node-a", "node=node-a") : Node("node-a", "zone=zone1");
        var pod = Pod("p", null, "foo").With(Constraint(1, "zone", DoNotSchedule, Foo));
        await using var handle = new TestHandle(Snapshot([node, Node("node-b", "zone=zone2")], [Pod("p-a1", "node-a", "foo")]));
        var plugin = new Plugin(handle);
        var state = new CycleState();
        plugin.PreFilter(state, pod, handle.Snapshot.List());

        Assert.Equal([reason], plugin.Filter(state, pod, handle.Snapshot.Get("node-a")!).Reasons);
    }

    [Theory]
    [MemberData(nameof(PreFilterCaseNames))]
    public async Task PreFilter_UpstreamCases_CountsAndCriticalPaths(string name)
    {
        var c = PreFilterCases[name];
        await using var handle = new TestHandle(Snapshot(c.Nodes, c.Existing));
        var plugin = new Plugin(handle, new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List });
        var state = new CycleState();

        Assert.Equal(StatusCode.Success, plugin.PreFilter(state, c.Pod, handle.Snapshot.List()).Status.Code);

        AssertState(c.Want, state);
    }

    [Theory]
    [MemberData(nameof(UpdateCaseNames))]
    public async Task AddPodRemovePod_UpstreamCases_UpdateCountsAndCriticalPaths(string name)
    {
        var c = UpdateCases[name];
        await using var handle = new TestHandle(Snapshot(c.Nodes, c.Existing));
        var plugin = new Plugin(handle, new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List });
        var state = new CycleState();
        plugin.PreFilter(state, c.Preemptor, handle.Snapshot.List());
        var node = handle.Snapshot.Get(c.Changed.Spec.NodeName)!;

        var status = c.Delta > 0
            ? plugin.AddPod(state, c.Preemptor, new PodInfo(c.Changed), node)
            : plugin.RemovePod(state, c.Preemptor, new PodInfo(c.Changed), node);

        Assert.True(status.IsSuccess);
        AssertState(c.Want, state);
    }

    [Fact]
    public async Task RemovePod_OnAClonedState_LeavesTheOriginalAlone()
    {
        var existing = Pod("p-a1", "node-a", "foo");
        await using var handle = new TestHandle(Snapshot([Node("node-a", "node=node-a"), Node("node-b", "node=node-b")], [existing]));
        var plugin = new Plugin(handle);
        var pod = Pod("p", null, "foo").With(Constraint(1, "node", DoNotSchedule, Foo));
        var state = new CycleState();
        plugin.PreFilter(state, pod, handle.Snapshot.List());

        var copy = state.Clone();
        plugin.RemovePod(copy, pod, new PodInfo(existing), handle.Snapshot.Get("node-a")!);

        Assert.Equal(StatusCode.Success, plugin.Filter(copy, pod, handle.Snapshot.Get("node-a")!).Code);
        Assert.Equal(StatusCode.Unschedulable, plugin.Filter(state, pod, handle.Snapshot.Get("node-a")!).Code);
    }

    [Theory]
    [MemberData(nameof(DefaultCaseNames))]
    public async Task PreFilter_DefaultConstraints_SelectTheWorkload(string name)
    {
        var c = DefaultCases[name];
        await using var handle = new TestHandle(Nodes.Lister(), c.Objects);
        var plugin = new Plugin(handle, new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List, DefaultConstraints = c.Defaults });

        var status = plugin.PreFilter(new CycleState(), c.Pod, []).Status;

        Assert.Equal(c.Selector is null ? StatusCode.Skip : StatusCode.Success, status.Code);
        if (c.Selector is not null)
        {
            var hard = c.Defaults.Where(d => d.WhenUnsatisfiable == DoNotSchedule);
            Assert.Equal(hard.Select(d => (d.TopologyKey, d.MaxSkew, c.Selector)), plugin.Constraints(c.Pod, DoNotSchedule).Select(k => (k.TopologyKey, k.MaxSkew, k.Selector.ToString())));
        }
    }

    [Fact]
    public async Task PreFilter_PodConstraints_WinOverDefaults()
    {
        var pod = Pod("p", null, "foo=bar", "baz=tar").With(Constraint(1, "zone", DoNotSchedule, Match("baz=tar")), Constraint(2, "planet", ScheduleAnyway, Match("fot=rok")));
        await using var handle = new TestHandle(Nodes.Lister(), [Service("s", "default", "foo=bar")]);
        var plugin = new Plugin(handle, new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List, DefaultConstraints = [Constraint(2, "node", DoNotSchedule, null)] });

        Assert.Equal([("zone", 1, "baz=tar")], plugin.Constraints(pod, DoNotSchedule).Select(c => (c.TopologyKey, c.MaxSkew, c.Selector.ToString())));
    }

    [Fact]
    public async Task PreFilter_NoConstraints_Skip()
    {
        await using var handle = new TestHandle(Snapshot([Node("node-a", "zone=zone1", "node=node-a")], []));
        var plugin = new Plugin(handle, new PodTopologySpreadArgs { DefaultingType = PodTopologySpreadDefaulting.List });

        Assert.Equal(StatusCode.Skip, plugin.PreFilter(new CycleState(), Pod("p", null, "foo"), handle.Snapshot.List()).Status.Code);
    }

    [Fact]
    public async Task Filter_WithoutPreFilterState_Error()
    {
        await using var handle = new TestHandle(Snapshot([Node("node-a", "zone=zone1")], []));
        var plugin = new Plugin(handle);

        var status = plugin.Filter(new CycleState(), Pod("p", null), handle.Snapshot.Get("node-a")!);

        Assert.Equal(StatusCode.Error, status.Code);
        Assert.Equal("reading \"PreFilterPodTopologySpread\" from cycleState: not found", status.Message);
    }

    [Fact]
    public async Task EventsToRegister_BoundPodsAndNodeTopologyChanges()
    {
        await using var handle = new TestHandle(Nodes.Lister());

        Assert.Equal(
            [
                new ClusterEvent(EventResource.AssignedPod, ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete),
                new ClusterEvent(EventResource.Node, ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint),
            ],
            new Plugin(handle).EventsToRegister());
    }

    private static void AssertState(ConstraintState[] want, CycleState state)
    {
        var s = state.Read<PreFilterState>("PreFilterPodTopologySpread")!;
        Assert.Equal(want.Select(w => (w.Key, w.MaxSkew, w.Selector)), s.Constraints.Select(c => (c.TopologyKey, c.MaxSkew, c.Selector.ToString())));
        for (var i = 0; i < want.Length; i++)
        {
            Assert.Equal(want[i].MatchNums.OrderBy(p => p.Item1, StringComparer.Ordinal), s.MatchNums[i].Select(p => (p.Key, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(Sorted(want[i].First, want[i].Second), Sorted(s.CriticalPaths[i].First, s.CriticalPaths[i].Second));
        }
    }

    // As upstream's comparison: paths with the same count are compared in topology value order.
    private static ((string, int), (string, int)) Sorted((string Value, int Num) first, (string Value, int Num) second) =>
        first.Num == second.Num && string.CompareOrdinal(first.Value, second.Value) > 0 ? (second, first) : (first, second);

    private static V1ObjectMeta Meta(string name) => new() { Name = name, NamespaceProperty = "default" };

    private static V1Service Service(string name, string ns, params string[] selector) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Spec = new V1ServiceSpec { Selector = LabelSets.Of(selector) } };

    private sealed record DefaultCase(V1Pod Pod, IKubernetesObject<V1ObjectMeta>[] Objects, V1TopologySpreadConstraint[] Defaults, string? Selector);

    private sealed record FilterCase(V1Pod Pod, V1Node[] Nodes, V1Pod[] Existing, StatusCode[] Want);

    private sealed record ConstraintState(string Key, int MaxSkew, string Selector, (string, int)[] MatchNums, (string, int) First, (string, int) Second);

    private sealed record StateCase(V1Pod Pod, V1Node[] Nodes, V1Pod[] Existing, ConstraintState[] Want);

    private sealed record UpdateCase(V1Pod Preemptor, V1Node[] Nodes, V1Pod[] Existing, V1Pod Changed, int Delta, ConstraintState[] Want);
}
