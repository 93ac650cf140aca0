using Flotilla.Api.Services;
using Flotilla.Controllers.Endpoints;
using Flotilla.Controllers.Tests.Testing;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Endpoints;

/// <summary>The endpoints controller's SyncAsync against listers and a recording client: given these objects, expect these writes.</summary>
public sealed class EndpointsSyncTests
{
    private readonly FakeEndpointsClient _client = new();
    private readonly RecordingEvents _events = new();

    private EndpointsController Controller(V1Service[] services, V1Pod[] pods, params V1Endpoints[] endpoints) =>
        new(Make.Lister(services), Make.Lister(pods), Make.Lister(endpoints), _client, _events, new FakeTimeProvider(Make.Now), NullLogger.Instance);

    [Fact]
    public async Task ReadyAndNotReadyPods_AreListedApart_WithNodeAndPod()
    {
        var service = Make.Service("web");
        var pods = new[] { Make.ServingPod("a", "10.42.0.5"), Make.ServingPod("b", "10.42.0.4"), Make.ServingPod("c", "10.42.0.6", ready: false) };

        await Controller([service], pods).SyncAsync("default/web", CancellationToken.None);

        var endpoints = Assert.Single(_client.Created);
        Assert.Equal("web", endpoints.Metadata.Name);
        Assert.Equal("a", endpoints.Metadata.Labels["team"]);
        var subset = Assert.Single(endpoints.Subsets);
        Assert.Equal(["10.42.0.4", "10.42.0.5"], subset.Addresses.Select(a => a.Ip));
        Assert.Equal("10.42.0.6", Assert.Single(subset.NotReadyAddresses).Ip);
        var address = subset.Addresses[0];
        Assert.Equal(("node-1", "Pod", "default", "b", "uid-b"), (address.NodeName, address.TargetRef.Kind, address.TargetRef.NamespaceProperty, address.TargetRef.Name, address.TargetRef.Uid));
        var port = Assert.Single(subset.Ports);
        Assert.Equal(("http", 8080, "TCP"), (port.Name, port.Port, port.Protocol));

        // A new Service's first endpoints carry its creation as the trigger time.
        Assert.Equal("2026-12-01T11:30:00Z", endpoints.Metadata.Annotations[TriggerTimeTracker.Annotation]);
    }

    [Fact]
    public async Task PodsWithoutTheNamedPort_AreLeftOutOfThatPort_NumericPortsApplyToAll()
    {
        var service = Make.Service("web", ports: [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = "http" }, new V1ServicePort { Name = "metrics", Port = 9090, Protocol = "TCP", TargetPort = 9100 }]);
        var plain = Make.Pod("plain", node: "node-1", phase: "Running", ready: true, ip: "10.42.0.9");

        await Controller([service], [Make.ServingPod("a", "10.42.0.5"), plain]).SyncAsync("default/web", CancellationToken.None);

        var subsets = Assert.Single(_client.Created).Subsets;
        Assert.Equal(2, subsets.Count);
        var both = Assert.Single(subsets, s => s.Addresses.Count == 2);
        Assert.Equal(9100, Assert.Single(both.Ports).Port);
        var httpOnly = Assert.Single(subsets, s => s.Addresses.Count == 1);
        Assert.Equal("10.42.0.5", httpOnly.Addresses[0].Ip);
        Assert.Equal(8080, Assert.Single(httpOnly.Ports).Port);
    }

    [Fact]
    public async Task FinishedTerminatingAndAddresslessPods_AreLeftOut_UnlessNotReadyAddressesArePublished()
    {
        var service = Make.Service("web");
        var terminating = Make.ServingPod("terminating", "10.42.0.7");
        terminating.Metadata.DeletionTimestamp = Make.Now.UtcDateTime;
        var pods = new[]
        {
            Make.ServingPod("a", "10.42.0.5"),
            terminating,
            Make.ServingPod("done", "10.42.0.8", ready: false),
            Make.Pod("pending", node: "node-1"),
        };
        pods[2].Status.Phase = "Succeeded";

        await Controller([service], pods).SyncAsync("default/web", CancellationToken.None);
        Assert.Equal(["10.42.0.5"], Assert.Single(Assert.Single(_client.Created).Subsets).Addresses.Select(a => a.Ip));

        service.Spec.PublishNotReadyAddresses = true;
        var client = new FakeEndpointsClient();
        await new EndpointsController(Make.Lister(service), Make.Lister(pods), Make.Lister<V1Endpoints>(), client, _events, new FakeTimeProvider(Make.Now), NullLogger.Instance)
            .SyncAsync("default/web", CancellationToken.None);
        var subset = Assert.Single(Assert.Single(client.Created).Subsets);
        Assert.Equal(["10.42.0.5", "10.42.0.7"], subset.Addresses.Select(a => a.Ip));
        Assert.Null(subset.NotReadyAddresses);
    }

    [Fact]
    public async Task ServicesWithoutSelector_OrExternalName_KeepTheirEndpoints()
    {
        var manual = Make.Service("manual");
        manual.Spec.Selector = null;
        var external = Make.Service("external");
        external.Spec.Type = "ExternalName";
        var controller = Controller([manual, external], [Make.ServingPod("a", "10.42.0.5")]);

        await controller.SyncAsync("default/manual", CancellationToken.None);
        await controller.SyncAsync("default/external", CancellationToken.None);

        Assert.Empty(_client.Created);
        Assert.Empty(_client.Updated);
        Assert.Empty(_client.Deleted);
    }

    [Fact]
    public async Task ADeletedService_LosesItsEndpoints()
    {
        await Controller([], []).SyncAsync("default/gone", CancellationToken.None);

        Assert.Equal(["default/gone"], _client.Deleted);
    }

    [Fact]
    public async Task EndpointsAsWanted_AreNotWrittenAgain_AndAChangeIsAnUpdate()
    {
        var service = Make.Service("web");
        var pods = new[] { Make.ServingPod("a", "10.42.0.5") };
        await Controller([service], pods).SyncAsync("default/web", CancellationToken.None);
        var stored = _client.Created[0];

        await Controller([service], pods, stored).SyncAsync("default/web", CancellationToken.None);
        Assert.Empty(_client.Updated);

        pods[0].Status.Conditions[0].Status = "False";
        pods[0].Status.Conditions[0].LastTransitionTime = Make.Now.UtcDateTime;
        await Controller([service], pods, stored).SyncAsync("default/web", CancellationToken.None);
        var updated = Assert.Single(_client.Updated);
        Assert.Equal("10.42.0.5", Assert.Single(Assert.Single(updated.Subsets).NotReadyAddresses).Ip);
    }

    [Fact]
    public async Task ACacheShowingTheVersionItReplaced_IsStale()
    {
        var service = Make.Service("web");
        var stored = new V1Endpoints { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", ResourceVersion = "7" } };
        var controller = Controller([service], [Make.ServingPod("a", "10.42.0.5")], stored);
        await controller.SyncAsync("default/web", CancellationToken.None);
        Assert.Single(_client.Updated);

        // The informer has not delivered the update yet: acting on version 7 again could undo it.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => controller.SyncAsync("default/web", CancellationToken.None));
        Assert.Contains("out of date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadlessServices_AreLabelled_ListPodsWithoutPorts_AndNameHostnames()
    {
        var service = Make.Service("db", clusterIp: "None");
        service.Spec.Ports = null;
        var pod = Make.ServingPod("db-0", "10.42.0.5");
        pod.Spec.Hostname = "db-0";
        pod.Spec.Subdomain = "db";

        await Controller([service], [pod]).SyncAsync("default/db", CancellationToken.None);

        var endpoints = Assert.Single(_client.Created);
        Assert.Equal(string.Empty, endpoints.Metadata.Labels[ServiceLabels.Headless]);
        var subset = Assert.Single(endpoints.Subsets);
        Assert.Null(subset.Ports);
        Assert.Equal("db-0", Assert.Single(subset.Addresses).Hostname);
    }

    [Fact]
    public async Task MoreThanAThousandAddresses_AreTruncated_AndAnnotated()
    {
        var service = Make.Service("big");
        var pods = Enumerable.Range(0, 1005).Select(i => Make.ServingPod($"p{i}", $"10.42.{i / 250}.{(i % 250) + 1}")).ToArray();

        await Controller([service], pods).SyncAsync("default/big", CancellationToken.None);

        var endpoints = Assert.Single(_client.Created);
        Assert.Equal(EndpointSubsets.MaxAddresses, EndpointSubsets.Count(endpoints.Subsets));
        Assert.Equal("truncated", endpoints.Metadata.Annotations[EndpointSubsets.OverCapacityAnnotation]);
    }

    [Fact]
    public async Task AFailedWrite_IsAnEventOnTheEndpoints_AndAnError()
    {
        _client.FailWith = new InvalidOperationException("the server is down");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Controller([Make.Service("web")], [Make.ServingPod("a", "10.42.0.5")]).SyncAsync("default/web", CancellationToken.None));

        var recorded = Assert.Single(_events.Recorded);
        Assert.Equal(("web", "FailedToCreateEndpoint"), (recorded.Name, recorded.Reason));
        Assert.Contains("the server is down", recorded.Message, StringComparison.Ordinal);
    }
}
