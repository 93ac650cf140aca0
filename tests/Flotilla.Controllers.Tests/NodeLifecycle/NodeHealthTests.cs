using Flotilla.Controllers.NodeLifecycle;
using Flotilla.Controllers.Tests.Testing;
using k8s.Models;

namespace Flotilla.Controllers.Tests.NodeLifecycle;

public sealed class NodeHealthTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(50);
    private readonly NodeHealth _health = new(Grace, TimeSpan.FromSeconds(60));

    private static V1Node Node(DateTimeOffset heartbeat) => new()
    {
        Metadata = new V1ObjectMeta { Name = "n1", Uid = "uid-n1", CreationTimestamp = Make.Now.AddHours(-1).UtcDateTime },
        Status = new V1NodeStatus
        {
            Conditions =
            [
                new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", LastHeartbeatTime = heartbeat.UtcDateTime, LastTransitionTime = Make.Now.AddHours(-1).UtcDateTime },
                new V1NodeCondition { Type = "MemoryPressure", Status = "False", LastHeartbeatTime = heartbeat.UtcDateTime, LastTransitionTime = Make.Now.AddHours(-1).UtcDateTime },
            ],
        },
    };

    private static V1Lease Lease(DateTimeOffset renewed) => new() { Metadata = new V1ObjectMeta { Name = "n1" }, Spec = new V1LeaseSpec { RenewTime = renewed.UtcDateTime } };

    [Fact]
    public void ASilentNode_TurnsUnknown_AfterTheGracePeriodOnThisClock()
    {
        var node = Node(Make.Now.AddMinutes(-30));   // the kubelet's clock does not matter: first sight starts the count
        Assert.False(_health.Observe(node, null, Make.Now).Changed);
        Assert.False(_health.Observe(node, null, Make.Now + Grace).Changed);

        var (observed, current, changed) = _health.Observe(node, null, Make.Now + Grace + TimeSpan.FromSeconds(1));

        Assert.True(changed);
        Assert.Equal("True", observed.Status);
        Assert.Equal(("Unknown", "NodeStatusUnknown", NodeHealth.StoppedPosting), (current!.Status, current.Reason, current.Message));
        Assert.Equal(Make.Now.AddMinutes(-30).UtcDateTime, current.LastHeartbeatTime);
        var memory = NodeHealth.Condition(node, "MemoryPressure")!;
        Assert.Equal(("Unknown", "NodeStatusUnknown"), (memory.Status, memory.Reason));
        var pid = NodeHealth.Condition(node, "PIDPressure")!;
        Assert.Equal(("Unknown", "NodeStatusNeverUpdated", NodeHealth.NeverPosted), (pid.Status, pid.Reason, pid.Message));
    }

    [Fact]
    public void LeaseRenewals_AndNewHeartbeats_KeepANodeHealthy()
    {
        var node = Node(Make.Now);
        _health.Observe(node, Lease(Make.Now), Make.Now);
        for (var s = 10; s <= 120; s += 10)
        {
            Assert.False(_health.Observe(Node(Make.Now), Lease(Make.Now.AddSeconds(s)), Make.Now.AddSeconds(s)).Changed);
        }

        // The lease stops: 50 s later it is Unknown.
        Assert.False(_health.Observe(Node(Make.Now), Lease(Make.Now.AddSeconds(120)), Make.Now.AddSeconds(170)).Changed);
        Assert.True(_health.Observe(Node(Make.Now), Lease(Make.Now.AddSeconds(120)), Make.Now.AddSeconds(171)).Changed);
    }

    [Fact]
    public void ANodeThatNeverPosted_HasTheStartupGracePeriod_FromItsCreation()
    {
        var node = new V1Node { Metadata = new V1ObjectMeta { Name = "fresh", CreationTimestamp = Make.Now.UtcDateTime } };
        Assert.False(_health.Observe(node, null, Make.Now.AddSeconds(60)).Changed);

        var (observed, current, changed) = _health.Observe(node, null, Make.Now.AddSeconds(61));

        Assert.True(changed);
        Assert.Equal("Unknown", observed.Status);
        Assert.Equal(("Unknown", "NodeStatusNeverUpdated"), (current!.Status, current.Reason));
    }

    [Fact]
    public void ItsOwnWrite_IsNotAHeartbeat_AndUnknownIsWrittenOnce()
    {
        var node = Node(Make.Now);
        _health.Observe(node, null, Make.Now);
        Assert.True(_health.Observe(node, null, Make.Now.AddSeconds(51)).Changed);
        _health.Written(node);

        Assert.False(_health.Observe(node, null, Make.Now.AddSeconds(60)).Changed);
        Assert.Equal("Unknown", NodeHealth.Condition(node, "Ready")!.Status);
    }
}
