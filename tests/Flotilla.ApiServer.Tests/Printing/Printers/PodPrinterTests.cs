using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class PodPrinterTests
{
    private static readonly V1ContainerState Running = new() { Running = new V1ContainerStateRunning() };
    private static readonly V1ContainerState Waiting = new() { Waiting = new V1ContainerStateWaiting() };

    // Upstream's TestPrintPod, TestPrintPodWithRestartableInitContainer and TestPrintNonTerminatedPod.
    public static TheoryData<string, V1Pod, string, string, string> Statuses => new()
    {
        {
            "restarts summed, running and ready counted",
            Pod(2, "podPhase", containers: [Status(ready: true, restarts: 3, state: Running), Status(restarts: 3)]),
            "1/2", "podPhase", "6"
        },
        {
            "container waiting reason overrides phase",
            Pod(2, "podPhase", containers: [Status(ready: true, restarts: 3, state: Running), Status(restarts: 3, state: WaitingFor("ContainerWaitingReason"))]),
            "1/2", "ContainerWaitingReason", "6"
        },
        {
            "first container's reason wins",
            Pod(2, "podPhase", containers: [Status(restarts: 3, state: WaitingFor("ContainerWaitingReason")), Status(restarts: 3, state: TerminatedWith("ContainerTerminatedReason"))]),
            "0/2", "ContainerWaitingReason", "6"
        },
        {
            "ready without running is not counted",
            Pod(2, "podPhase", containers: [Status(ready: true, restarts: 3, state: Running), Status(ready: true, restarts: 3)]),
            "1/2", "podPhase", "6"
        },
        {
            "pod reason overrides phase",
            Pod(2, "podPhase", reason: "podReason", containers: [Status(ready: true, restarts: 3, state: Running), Status(ready: true, restarts: 3)]),
            "1/2", "podReason", "6"
        },
        {
            "completed beside running without Ready condition",
            Pod(2, "Running", containers: [Status(ready: true, restarts: 3, state: TerminatedWith("Completed")), Status(ready: true, restarts: 3, state: Running)]),
            "1/2", "NotReady", "6"
        },
        {
            "completed beside running with Ready condition",
            Pod(2, "Running", conditions: [Condition("Ready", "True")], containers: [Status(ready: true, restarts: 3, state: TerminatedWith("Completed")), Status(ready: true, restarts: 3, state: Running)]),
            "1/2", "Running", "6"
        },
        {
            "init container restarting",
            Pod(1, "podPhase", initContainers: 1, init: [Status(restarts: 3, state: Running, lastFinished: Clock.Ago(seconds: 10))], containers: [Status(state: Waiting)]),
            "0/1", "Init:0/1", "3 (10s ago)"
        },
        {
            "second init container not yet started",
            Pod(1, "podPhase", initContainers: 2, init: [Status(restarts: 3, state: Running, lastFinished: Clock.Ago(seconds: 10)), Status(state: Waiting)], containers: [Status(state: Waiting)]),
            "0/1", "Init:0/2", "3 (10s ago)"
        },
        {
            "first init container done, second restarting",
            Pod(1, "podPhase", initContainers: 2, init: [Status(state: TerminatedWith("")), Status(restarts: 3, state: Running, lastFinished: Clock.Ago(seconds: 10))], containers: [Status(state: Waiting)]),
            "0/1", "Init:1/2", "3 (10s ago)"
        },
        {
            "init restarts of done containers still count while initializing",
            Pod(1, "podPhase", initContainers: 2, init: [Status(restarts: 2, state: TerminatedWith(""), lastFinished: Clock.Ago(minutes: 2)), Status(restarts: 3, state: Running, lastFinished: Clock.Ago(seconds: 10))], containers: [Status(state: Waiting)]),
            "0/1", "Init:1/2", "5 (10s ago)"
        },
        {
            "init restarts drop out once initialized",
            Pod(1, "Running", initContainers: 1, init: [Status(restarts: 2, state: TerminatedWith(""), lastFinished: Clock.Ago(minutes: 2))], containers: [Status(restarts: 4, state: Running, lastFinished: Clock.Ago(seconds: 20))]),
            "0/1", "Running", "4 (20s ago)"
        },
        {
            "restart five days ago",
            Pod(1, "Running", containers: [Status(ready: true, restarts: 3, state: Running, lastFinished: Clock.Ago(days: 5))]),
            "1/1", "Running", "3 (5d ago)"
        },
        {
            "latest restart of any container",
            Pod(2, "Running", containers: [Status(ready: true, restarts: 6, state: Running, lastFinished: Clock.Ago(days: 5)), Status(ready: true, restarts: 3, state: Running, lastFinished: Clock.Ago(days: 20))]),
            "2/2", "Running", "9 (5d ago)"
        },
        {
            "scheduling gated",
            Pod(2, "podPhase", conditions: [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "SchedulingGated" }]),
            "0/2", "SchedulingGated", "0"
        },
        {
            "crash loop",
            Pod(1, "Running", containers: [Status(restarts: 5, state: WaitingFor("CrashLoopBackOff"), lastFinished: Clock.Ago(minutes: 5))]),
            "0/1", "CrashLoopBackOff", "5 (5m ago)"
        },
        {
            "succeeded pod with completed container",
            Pod(1, "Succeeded", containers: [Status(state: TerminatedWith("Completed"))]),
            "0/1", "Completed", "0"
        },
        {
            "terminated without reason shows exit code",
            Pod(1, "Running", containers: [Status(state: new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 3 } })]),
            "0/1", "ExitCode:3", "0"
        },
        {
            "terminated by signal",
            Pod(1, "Running", containers: [Status(state: new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 137, Signal = 9 } })]),
            "0/1", "Signal:9", "0"
        },
        {
            "init container crash looping",
            Pod(1, "Pending", initContainers: 1, init: [Status(restarts: 2, state: WaitingFor("CrashLoopBackOff"), lastFinished: Clock.Ago(seconds: 30))], containers: [Status(state: WaitingFor("PodInitializing"))]),
            "0/1", "Init:CrashLoopBackOff", "2 (30s ago)"
        },
        {
            "init container failed with exit code",
            Pod(1, "Pending", initContainers: 1, init: [Status(state: new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1 } })]),
            "0/1", "Init:ExitCode:1", "0"
        },
        {
            "init container failed with reason",
            Pod(1, "Pending", initContainers: 1, init: [Status(state: new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error" } })]),
            "0/1", "Init:Error", "0"
        },
        {
            "sidecar running but not started",
            Sidecars("Pending", initialized: false, [Status("restartable-init-1", restarts: 3, state: Running, started: false, lastFinished: Clock.Ago(seconds: 10)), Status("restartable-init-2", state: Waiting, started: false)], [Status(state: Waiting)]),
            "0/3", "Init:0/2", "3 (10s ago)"
        },
        {
            "first sidecar started, second not",
            Sidecars("Pending", initialized: false, [Status("restartable-init-1", restarts: 3, state: Running, started: true, lastFinished: Clock.Ago(seconds: 10)), Status("restartable-init-2", state: Running, started: false)], [Status(state: Waiting)]),
            "0/3", "Init:1/2", "3 (10s ago)"
        },
        {
            "sidecars started and container running",
            Sidecars("Running", initialized: true, [Status("restartable-init-1", restarts: 3, state: Running, started: true, lastFinished: Clock.Ago(seconds: 10)), Status("restartable-init-2", state: Running, started: true)], [Status(ready: true, restarts: 4, state: Running, lastFinished: Clock.Ago(seconds: 20))]),
            "1/3", "Running", "7 (10s ago)"
        },
        {
            "sidecars failed after the container completed",
            Sidecars("Succeeded", initialized: true, [Status("restartable-init-1", restarts: 3, state: TerminatedWith("Error", 137), started: false, lastFinished: Clock.Ago(seconds: 10)), Status("restartable-init-2", state: TerminatedWith("Error", 137), started: false)], [Status(restarts: 4, state: TerminatedWith("Completed"), lastFinished: Clock.Ago(seconds: 20))]),
            "0/3", "Completed", "7 (10s ago)"
        },
        { "pending phase", Pod(2, "Pending", containers: [Status(ready: true, restarts: 3, state: Running), Status(restarts: 3)]), "1/2", "Pending", "6" },
        { "unknown phase", Pod(2, "Unknown", containers: [Status(ready: true, restarts: 3, state: Running), Status(restarts: 3)]), "1/2", "Unknown", "6" },
        { "failed phase", Pod(2, "Failed", containers: [Status(ready: true, restarts: 3, state: Running), Status(ready: true, restarts: 3)]), "1/2", "Failed", "6" },
        { "deleted while running", Pod(1, "Running", deleted: true, containers: [Status(ready: true, state: Running)]), "1/1", "Terminating", "0" },
        { "deleted after success", Pod(1, "Succeeded", deleted: true, containers: [Status(state: TerminatedWith("Completed"))]), "0/1", "Completed", "0" },
        { "deleted on a lost node", Pod(1, "Running", reason: "NodeLost", deleted: true, containers: [Status(ready: true, state: Running)]), "1/1", "Unknown", "0" },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Cells_PodStatus_MatchesKubectl(string scenario, V1Pod pod, string ready, string status, string restarts)
    {
        var cells = new PodPrinter().Cells(pod, Clock.Now);

        Assert.True(cells[0] is "test", scenario);
        Assert.Equal([ready, status, restarts], cells.Skip(1).Take(3));
    }

    [Fact]
    public void Columns_MatchUpstream()
    {
        var columns = new PodPrinter().Columns;

        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1], columns.Select(c => c.Priority));
        Assert.All(columns, c => Assert.Equal("string", c.Type));
        Assert.Equal("name", columns[0].Format);
    }

    [Fact]
    public void Cells_WideColumns_IpNodeNominatedAndGates()
    {
        var pod = Pod(2, "podPhase", containers: [Status(ready: true, restarts: 3, state: Running), Status(restarts: 3)]);
        pod.Metadata.CreationTimestamp = Clock.Ago(hours: 3);
        pod.Spec.NodeName = "test1";
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "condition1" }, new V1PodReadinessGate { ConditionType = "condition2" }, new V1PodReadinessGate { ConditionType = "condition3" }];
        pod.Status.Conditions = [Condition("condition1", "False"), Condition("condition2", "True")];
        pod.Status.PodIPs = [new V1PodIP { Ip = "1.1.1.1" }, new V1PodIP { Ip = "2001:db8::" }];
        pod.Status.NominatedNodeName = "node1";

        var cells = new PodPrinter().Cells(pod, Clock.Now);

        Assert.Equal(["test", "1/2", "podPhase", "6", "3h", "1.1.1.1", "test1", "node1", "1/3"], cells);
    }

    [Fact]
    public void Cells_Unscheduled_WideColumnsNone()
    {
        var cells = new PodPrinter().Cells(Pod(2, "Pending"), Clock.Now);

        Assert.Equal(["test", "0/2", "Pending", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"], cells);
    }

    [Fact]
    public void Cells_OnlyLegacyPodIP_PrintsIt()
    {
        var pod = Pod(1, "Running");
        pod.Status.PodIP = "10.0.0.7";

        Assert.Equal("10.0.0.7", new PodPrinter().Cells(pod, Clock.Now)[5]);
    }

    private static V1Pod Pod(
        int containerCount,
        string phase,
        string? reason = null,
        int initContainers = 0,
        bool deleted = false,
        IList<V1PodCondition>? conditions = null,
        IList<V1ContainerStatus>? init = null,
        IList<V1ContainerStatus>? containers = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = "test", DeletionTimestamp = deleted ? Clock.Ago(seconds: 1) : null },
            Spec = new V1PodSpec
            {
                Containers = [.. Enumerable.Range(0, containerCount).Select(i => new V1Container { Name = $"c{i}" })],
                InitContainers = [.. Enumerable.Range(0, initContainers).Select(i => new V1Container { Name = $"i{i}" })],
            },
            Status = new V1PodStatus
            {
                Phase = phase,
                Reason = reason,
                Conditions = conditions,
                InitContainerStatuses = init,
                ContainerStatuses = containers,
            },
        };

    private static V1Pod Sidecars(string phase, bool initialized, IList<V1ContainerStatus> init, IList<V1ContainerStatus> containers)
    {
        var pod = Pod(1, phase, conditions: [Condition("Initialized", initialized ? "True" : "False")], init: init, containers: containers);
        pod.Spec.InitContainers =
        [
            new V1Container { Name = "restartable-init-1", RestartPolicy = "Always" },
            new V1Container { Name = "restartable-init-2", RestartPolicy = "Always" },
        ];
        return pod;
    }

    private static V1ContainerStatus Status(
        string name = "",
        bool ready = false,
        int restarts = 0,
        V1ContainerState? state = null,
        bool? started = null,
        DateTime? lastFinished = null) => new()
        {
            Name = name,
            Ready = ready,
            RestartCount = restarts,
            State = state ?? new V1ContainerState(),
            Started = started,
            LastState = lastFinished is null ? null : new V1ContainerState { Terminated = new V1ContainerStateTerminated { FinishedAt = lastFinished } },
        };

    private static V1ContainerState WaitingFor(string reason) => new() { Waiting = new V1ContainerStateWaiting { Reason = reason } };

    private static V1ContainerState TerminatedWith(string reason, int exitCode = 0) =>
        new() { Terminated = new V1ContainerStateTerminated { Reason = reason, ExitCode = exitCode } };

    private static V1PodCondition Condition(string type, string status) => new() { Type = type, Status = status };
}
