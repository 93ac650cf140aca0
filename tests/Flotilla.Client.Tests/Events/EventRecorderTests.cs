using System.Net;
using System.Net.Sockets;
using Flotilla.Client.Events;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flotilla.Client.Tests.Events;

/// <summary>The recorder against a real API server on 127.0.0.1: events as <c>kubectl describe</c> lists them.</summary>
public sealed class EventRecorderTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly Kubernetes _client = fixture.Client;

    private EventRecorder Recorder(IKubernetes? client = null, RecordingLogger<EventRecorder>? logger = null, EventRecorderOptions? options = null) =>
        new(client ?? _client, options ?? new EventRecorderOptions { Component = "default-scheduler", Host = "node-a" }, TimeProvider.System, logger ?? new RecordingLogger<EventRecorder>());

    private async Task<V1Pod> CreatePodAsync(string name)
    {
        var ns = "ev-" + Guid.NewGuid().ToString("N")[..10];
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await fixture.Server.AddDefaultServiceAccountAsync(ns);
        return await _client.CoreV1.CreateNamespacedPodAsync(
            new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "busybox:1.35" }] },
            },
            ns);
    }

    // The query kubectl describe makes for an object's events.
    private async Task<IList<Corev1Event>> DescribeEventsAsync(V1Pod pod)
    {
        var selector = $"involvedObject.name={pod.Metadata.Name},involvedObject.namespace={pod.Metadata.NamespaceProperty},involvedObject.kind=Pod,involvedObject.uid={pod.Metadata.Uid}";
        return (await _client.CoreV1.ListNamespacedEventAsync(pod.Metadata.NamespaceProperty, fieldSelector: selector)).Items;
    }

    private static async Task<IList<Corev1Event>> EventuallyAsync(Func<Task<IList<Corev1Event>>> list, Func<IList<Corev1Event>, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var events = await list();
            if (done(events))
            {
                return events;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not there within {Deadline}; events: {string.Join(" | ", events.Select(e => $"{e.Metadata.Name} x{e.Count}: {e.Message}"))}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Event_AboutAPod_IsListedAsKubectlDescribeListsIt()
    {
        var pod = await CreatePodAsync("web");
        await using var recorder = Recorder();
        recorder.Start();

        recorder.Event(pod, EventTypes.Normal, "Scheduled", "Successfully assigned {0}/{1} to {2}", pod.Metadata.NamespaceProperty, "web", "node-a");

        var e = Assert.Single(await EventuallyAsync(() => DescribeEventsAsync(pod), events => events.Count > 0));
        Assert.Matches("^web\\.[0-9a-f]+$", e.Metadata.Name);
        Assert.Equal(pod.Metadata.NamespaceProperty, e.Metadata.NamespaceProperty);
        Assert.Equal((EventTypes.Normal, "Scheduled", $"Successfully assigned {pod.Metadata.NamespaceProperty}/web to node-a", 1), (e.Type, e.Reason, e.Message, e.Count));
        Assert.Equal(("default-scheduler", "node-a", "default-scheduler", "node-a"), (e.Source.Component, e.Source.Host, e.ReportingComponent, e.ReportingInstance));
        Assert.Equal(("Pod", "v1", pod.Metadata.Uid, pod.Metadata.ResourceVersion), (e.InvolvedObject.Kind, e.InvolvedObject.ApiVersion, e.InvolvedObject.Uid, e.InvolvedObject.ResourceVersion));
        Assert.NotNull(e.FirstTimestamp);
        Assert.Equal(e.FirstTimestamp, e.LastTimestamp);
    }

    [Fact]
    public async Task Event_Repeated_CountsOnOneEvent()
    {
        var pod = await CreatePodAsync("web");
        await using var recorder = Recorder();
        recorder.Start();

        for (var i = 0; i < 3; i++)
        {
            recorder.Event(pod, EventTypes.Warning, "BackOff", "Back-off restarting failed container");
        }

        var events = await EventuallyAsync(() => DescribeEventsAsync(pod), events => events.Any(e => e.Count == 3));
        var e = Assert.Single(events);
        Assert.Equal((EventTypes.Warning, "BackOff", "Back-off restarting failed container"), (e.Type, e.Reason, e.Message));
        Assert.True(e.FirstTimestamp <= e.LastTimestamp, $"first {e.FirstTimestamp:O} last {e.LastTimestamp:O}");
    }

    [Fact]
    public async Task Events_SimilarWithManyMessages_AreCombinedIntoOne()
    {
        var pod = await CreatePodAsync("web");
        await using var recorder = Recorder();
        recorder.Start();

        for (var i = 1; i <= 12; i++)
        {
            recorder.Event(pod, EventTypes.Warning, "FailedScheduling", "0/{0} nodes are available", i);
        }

        var events = await EventuallyAsync(() => DescribeEventsAsync(pod), events => events.Any(e => e.Count == 3));
        Assert.Equal(10, events.Count);
        var combined = Assert.Single(events, e => e.Count > 1);
        Assert.Equal("(combined from similar events): 0/12 nodes are available", combined.Message);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => $"0/{i} nodes are available"), events.Where(e => e != combined).Select(e => e.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Event_RepeatedAfterItsEventWasDeleted_IsCreatedAgain()
    {
        var pod = await CreatePodAsync("web");
        await using var recorder = Recorder();
        recorder.Start();
        recorder.Event(pod, EventTypes.Normal, "Pulled", "Container image already present");
        var first = Assert.Single(await EventuallyAsync(() => DescribeEventsAsync(pod), events => events.Count > 0));
        await _client.CoreV1.DeleteNamespacedEventAsync(first.Metadata.Name, first.Metadata.NamespaceProperty);

        recorder.Event(pod, EventTypes.Normal, "Pulled", "Container image already present");

        var again = Assert.Single(await EventuallyAsync(() => DescribeEventsAsync(pod), events => events.Count > 0));
        Assert.Equal((first.Metadata.Name, 2), (again.Metadata.Name, again.Count));
    }

    [Fact]
    public async Task Event_AboutAClusterScopedObject_IsRecordedInDefault()
    {
        var node = "node-" + Guid.NewGuid().ToString("N")[..8];
        await using var recorder = Recorder(options: new EventRecorderOptions { Component = "kubelet", Host = node });
        recorder.Start();

        recorder.Event(new V1ObjectReference { Kind = "Node", ApiVersion = "v1", Name = node, Uid = node }, EventTypes.Normal, "NodeReady", "Node {0} status is now: NodeReady", node);

        var e = Assert.Single(await EventuallyAsync(
            async () => (await _client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: $"involvedObject.name={node}")).Items,
            events => events.Count > 0));
        Assert.Equal(("default", null, "kubelet", node), (e.Metadata.NamespaceProperty, e.InvolvedObject.NamespaceProperty, e.Source.Component, e.ReportingInstance));
    }

    [Fact]
    public async Task DisposeAsync_WritesWhatIsStillQueued()
    {
        var pod = await CreatePodAsync("web");
        var recorder = Recorder();
        recorder.Event(pod, EventTypes.Normal, "Created", "Created container app");  // before Start: kept
        recorder.Start();
        recorder.Event(pod, EventTypes.Normal, "Started", "Started container app");

        await recorder.DisposeAsync();

        Assert.Equal(["Created", "Started"], (await DescribeEventsAsync(pod)).Select(e => e.Reason).Order(StringComparer.Ordinal));
        recorder.Event(pod, EventTypes.Normal, "Killing", "Stopping container app");  // after: dropped, no throw
    }

    [Fact]
    public async Task Event_ApiServerUnreachable_IsRetriedThenDroppedWithALogLine()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();  // nothing listens there now: connections are refused
        using var unreachable = new Kubernetes(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{port}" });
        var logger = new RecordingLogger<EventRecorder>();
        await using var recorder = Recorder(unreachable, logger, new EventRecorderOptions { Component = "default-scheduler", MaxTries = 3, RetryDelay = TimeSpan.FromMilliseconds(50) });
        recorder.Start();

        recorder.Event(new V1ObjectReference { Kind = "Pod", ApiVersion = "v1", NamespaceProperty = "shop", Name = "web" }, EventTypes.Normal, "Scheduled", "assigned");

        var line = await logger.WaitForAsync(LogLevel.Warning, "dropped after 3 tries", Deadline);
        Assert.Contains("Scheduled about Pod shop/web", line, StringComparison.Ordinal);
        Assert.Equal(2, logger.Entries.Count(e => e.Message.Contains("trying again", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Event_QueueFull_IsDroppedWithALogLine()
    {
        var logger = new RecordingLogger<EventRecorder>();
        await using var recorder = Recorder(logger: logger, options: new EventRecorderOptions { Component = "default-scheduler", QueueCapacity = 1 });
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop" } };

        recorder.Event(pod, EventTypes.Normal, "Pulling", "Pulling image");  // not started: waits in the queue
        recorder.Event(pod, EventTypes.Normal, "Pulled", "Pulled image");

        var line = await logger.WaitForAsync(LogLevel.Warning, "event Pulled about Pod shop/web dropped", TimeSpan.FromSeconds(1));
        Assert.Contains("1 events are waiting", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("Error")]
    [InlineData("")]
    public async Task Event_UnknownType_Throws(string type)
    {
        await using var recorder = Recorder();

        Assert.Throws<ArgumentException>(() => recorder.Event(new V1Pod { Metadata = new V1ObjectMeta { Name = "web" } }, type, "Scheduled", "assigned"));
    }
}
