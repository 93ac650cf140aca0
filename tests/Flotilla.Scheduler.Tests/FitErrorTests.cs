using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Tests;

public sealed class FitErrorTests
{
    [Fact]
    public void Message_IsASortedHistogramOfReasons_AsUpstream()
    {
        var statuses = new NodeToStatus();
        statuses.Set("a", Status.Unresolvable("node(s) were unschedulable"));
        statuses.Set("b", Status.Unschedulable("Insufficient cpu"));
        statuses.Set("c", Status.Unschedulable("Insufficient cpu", "Insufficient memory"));
        var error = new FitError(3, statuses, null, new HashSet<string>());
        Assert.Equal("0/3 nodes are available: 1 Insufficient memory, 1 node(s) were unschedulable, 2 Insufficient cpu.", error.Message);
        Assert.Equal(
            "0/3 nodes are available: 1 Insufficient memory, 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
            (error with { PostFilterMessage = "preemption: not eligible due to preemptionPolicy=Never." }).Message);
    }

    [Fact]
    public void Message_CountsNodesAPreFilterLeftOut_AndShowsAPreFilterRejectionAlone()
    {
        var statuses = new NodeToStatus { AbsentStatus = Status.Unresolvable("node(s) didn't match Pod's node affinity/selector") };
        statuses.Set("a", Status.Unschedulable("Insufficient cpu"));
        Assert.Equal("0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't match Pod's node affinity/selector.", new FitError(4, statuses, null, new HashSet<string>()).Message);
        Assert.Equal("0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.", new FitError(2, new NodeToStatus(), "pod has unbound immediate PersistentVolumeClaims", new HashSet<string>()).Message);
    }
}
