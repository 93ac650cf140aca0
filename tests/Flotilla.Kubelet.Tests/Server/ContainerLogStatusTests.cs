using Flotilla.Kubelet.Server;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Server;

public sealed class ContainerLogStatusTests
{
    private static readonly V1ContainerStateTerminated Ended = new() { ContainerID = "hollow://old", ExitCode = 1 };

    public static TheoryData<V1ContainerStatus?, bool, string?, string?> Cases => new()
    {
        { null, false, null, "container \"app\" in pod \"p\" is not available" },
        { Status(new V1ContainerState { Running = new V1ContainerStateRunning() }), false, "hollow://now", null },
        { Status(new V1ContainerState { Running = new V1ContainerStateRunning() }, Ended), true, "hollow://old", null },
        { Status(new V1ContainerState { Running = new V1ContainerStateRunning() }), true, null, "previous terminated container \"app\" in pod \"p\" not found" },
        { Status(new V1ContainerState { Terminated = new V1ContainerStateTerminated { ContainerID = "hollow://now" } }), false, "hollow://now", null },
        { Status(new V1ContainerState { Terminated = new V1ContainerStateTerminated() }, Ended), false, "hollow://old", null },
        { Status(new V1ContainerState { Terminated = new V1ContainerStateTerminated() }), false, null, "container \"app\" in pod \"p\" is terminated" },
        { Status(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } }, Ended), false, "hollow://old", null },
        { Status(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } }), false, null, "container \"app\" in pod \"p\" is waiting to start: ContainerCreating" },
        { Status(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ErrImagePull" } }), false, null, "container \"app\" in pod \"p\" is waiting to start: image can't be pulled" },
        { Status(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff" } }), false, null, "container \"app\" in pod \"p\" is waiting to start: trying and failing to pull image" },
        { Status(new V1ContainerState()), false, null, "container \"app\" in pod \"p\" is waiting to start - no logs yet" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ChoosesTheInstanceOrSaysWhyNot(V1ContainerStatus? status, bool previous, string? id, string? error)
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Status = new V1PodStatus { ContainerStatuses = status is null ? [] : [status] } };
        Assert.Equal((id, error), ContainerLogStatus.Validate(pod, "app", previous));
    }

    private static V1ContainerStatus Status(V1ContainerState state, V1ContainerStateTerminated? last = null) => new()
    {
        Name = "app",
        ContainerID = state.Running is not null ? "hollow://now" : null,
        State = state,
        LastState = last is null ? null : new V1ContainerState { Terminated = last },
    };
}
