using Flotilla.Client.Events;
using Flotilla.Client.Informers;
using Flotilla.Client.Tests;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flotilla.Scheduler.Tests.Integration;

/// <summary>A real API server on 127.0.0.1 and the scheduler running against it, for one test class.</summary>
public sealed class SchedulerWorld : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private TestApiServer _server = null!;
    private SharedInformerFactory _informers = null!;
    private EventRecorder _recorder = null!;
    private Task _running = Task.CompletedTask;

    public Kubernetes Client { get; private set; } = null!;

    public Scheduler Scheduler { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        Client = new Kubernetes(new KubernetesClientConfiguration { Host = _server.Address.ToString() });
        _informers = new SharedInformerFactory(Client, TimeProvider.System);
        _recorder = new EventRecorder(Client, new EventRecorderOptions { Component = SchedulerOptions.DefaultSchedulerName }, TimeProvider.System, NullLogger<EventRecorder>.Instance);
        _recorder.Start();
        Scheduler = new Scheduler(Client, _informers, _recorder, new SchedulerOptions { Seed = 1 }, TimeProvider.System, NullLogger<Scheduler>.Instance);
        _running = Scheduler.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await _informers.DisposeAsync();
        await _recorder.DisposeAsync();
        Client.Dispose();
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    public async Task<string> NamespaceAsync(string name)
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        await _server.AddDefaultServiceAccountAsync(name);
        return name;
    }

    public Task<V1Node> NodeAsync(V1Node node) => Client.CoreV1.CreateNodeAsync(node);

    public Task<V1Pod> PodAsync(V1Pod pod) => Client.CoreV1.CreateNamespacedPodAsync(pod, pod.Metadata.NamespaceProperty);

    /// <summary>Polls the pod until <paramref name="condition"/> holds (10 s).</summary>
    public async Task<V1Pod> WaitAsync(V1Pod pod, Func<V1Pod, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var current = await Client.CoreV1.ReadNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty);
            if (condition(current))
            {
                return current;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"pod {pod.Metadata.Name}: {what}; status {(current.Status is null ? "none" : KubernetesJson.Serialize(current.Status))}");
            }

            await Task.Delay(50);
        }
    }

    public Task<V1Pod> WaitScheduledAsync(V1Pod pod) => WaitAsync(pod, p => !string.IsNullOrEmpty(p.Spec.NodeName), "not scheduled");

    public async Task<IList<Corev1Event>> EventsAsync(V1Pod pod, string reason)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var events = (await Client.CoreV1.ListNamespacedEventAsync(pod.Metadata.NamespaceProperty, fieldSelector: $"involvedObject.name={pod.Metadata.Name},reason={reason}")).Items;
            if (events.Count > 0)
            {
                return events;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {reason} event for {pod.Metadata.Name}");
            await Task.Delay(50);
        }
    }
}
