using Flotilla.Kubelet.Runtime;
using Flotilla.Kubelet.Runtime.Hollow;
using Flotilla.Kubelet.Status;
using k8s.Models;

namespace Flotilla.Kubelet.Tests.Status;

public sealed class TerminationMessagesTests
{
    [Theory]
    [InlineData("FallbackToLogsOnError", "echo 'bad things'; exit 1", "bad things\n")]
    [InlineData("FallbackToLogsOnError", "echo fine; exit 0", null)]
    [InlineData("FallbackToLogsOnError", "echo said > /dev/termination-log; echo logged; exit 1", "said")]
    [InlineData("File", "echo 'bad things'; exit 1", null)]
    public async Task AFailedContainerWithoutAMessageReportsItsLog(string policy, string script, string? message)
    {
        var runtime = new HollowRuntime(TimeProvider.System, speed: 1000);
        await runtime.UpdatePodCidrAsync("10.42.0.0/24", CancellationToken.None);
        var sandbox = await runtime.RunPodSandboxAsync(new PodSandboxConfig("p", "default", "uid", "p", 0), CancellationToken.None);
        var id = await runtime.CreateContainerAsync(sandbox, new ContainerConfig("app", "busybox:1.35", ["sh", "-c", script], [], 0), CancellationToken.None);
        await runtime.StartContainerAsync(id, CancellationToken.None);
        var exited = await Eventually(async () => (await runtime.ListContainersAsync(sandbox, CancellationToken.None)).Single(), c => c.State == ContainerState.Exited);
        var pod = new V1Pod { Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", TerminationMessagePolicy = policy }] } };

        var statuses = await TerminationMessages.WithLogFallbackAsync(pod, [exited], runtime, CancellationToken.None);
        Assert.Equal(message, statuses.Single().Message);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "not reached in 5 s");
            await Task.Delay(20);
        }
    }
}
