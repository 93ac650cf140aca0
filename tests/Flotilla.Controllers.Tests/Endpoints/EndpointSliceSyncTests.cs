using Flotilla.Controllers.Endpoints;
using Flotilla.Controllers.Tests.Testing;
using Flotilla.Tests.Shared;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Endpoints;

/// <summary>The EndpointSlice controller's SyncAsync against listers and a recording client: given these objects, expect these writes.</summary>
public sealed class EndpointSliceSyncTests
{
    private readonly FakeEndpointSliceClient _client = new();
    private readonly RecordingEvents _events = new();

    private EndpointSliceController Controller(V1Service service, IEnumerable<V1Pod> pods, params V1EndpointSlice[] slices) =>
        new(Make.Lister(service), Make.Lister(pods.ToArray()), Make.Lister(slices), Make.Lister(Make.Node("node-1", zone: "zone-a")), _client, _events, EndpointSliceReconciler.DefaultMaxEndpointsPerSlice, new FakeTimeProvider(Make.Now));

    private static V1Pod[] Pods(int count) =>
        Enumerable.Range(0, count).Select(i => Make.ServingPod($"p{i:D3}", $"10.42.{i / 200}.{(i % 200) + 1}")).ToArray();

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(100, new[] { 100 })]
    [InlineData(250, new[] { 100, 100, 50 })]
    public async Task Endpoints_AreSplitIntoSlicesOfAtMostAHundred(int pods, int[] sizes)
    {
        var service = Make.Service("web");

        await Controller(service, Pods(pods)).SyncAsync("default/web", CancellationToken.None);

        Assert.Equal(sizes, _client.Created.Select(s => s.Endpoints.Count).Order().Reverse());
        var slice = _client.Created[0];
        Assert.Equal("web-", slice.Metadata.GenerateName);
        Assert.Equal("IPv4", slice.AddressType);
        Assert.Equal(("web", EndpointSliceReconciler.ControllerName, "a"), (slice.Metadata.Labels["kubernetes.io/service-name"], slice.Metadata.Labels["endpointslice.kubernetes.io/managed-by"], slice.Metadata.Labels["team"]));
        var owner = Assert.Single(slice.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Service", "web", "uid-web", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var port = Assert.Single(slice.Ports);
        Assert.Equal(("http", 8080, "TCP"), (port.Name, port.Port, port.Protocol));
        var endpoint = slice.Endpoints[0];
        Assert.Equal((true, true, false), (endpoint.Conditions.Ready, endpoint.Conditions.Serving, endpoint.Conditions.Terminating));
        Assert.Equal(("node-1", "zone-a", "Pod"), (endpoint.NodeName, endpoint.Zone, endpoint.TargetRef.Kind));
        Assert.Empty(_client.Updated);
        Assert.Empty(_client.Deleted);
    }

    [Fact]
    public async Task TerminatingPods_StayListed_ServingButNotReady()
    {
        var pods = Pods(2);
        pods[1].Metadata.DeletionTimestamp = Make.Now.UtcDateTime;

        await Controller(Make.Service("web"), pods).SyncAsync("default/web", CancellationToken.None);

        var terminating = Assert.Single(Assert.Single(_client.Created).Endpoints, e => e.TargetRef.Name == "p001");
        Assert.Equal((false, true, true), (terminating.Conditions.Ready, terminating.Conditions.Serving, terminating.Conditions.Terminating));
    }

    [Fact]
    public async Task AChangedEndpoint_IsUpdatedInPlace_InItsOwnSliceOnly()
    {
        var service = Make.Service("web");
        var pods = Pods(150);
        await Controller(service, pods).SyncAsync("default/web", CancellationToken.None);
        var stored = _client.Created.ToArray();
        _client.Created.Clear();

        pods[120].Status.Conditions[0].Status = "False";
        await Controller(service, pods, stored).SyncAsync("default/web", CancellationToken.None);

        var updated = Assert.Single(_client.Updated);
        Assert.Contains(updated.Endpoints, e => e.TargetRef.Name == "p120" && e.Conditions.Ready == false);
        Assert.Equal(stored.Single(s => s.Endpoints.Any(e => e.TargetRef.Name == "p120")).Metadata.Name, updated.Metadata.Name);
        Assert.Empty(_client.Created);
        Assert.Empty(_client.Deleted);
    }

    [Fact]
    public async Task NewEndpoints_FillTheBestFittingSlice_BeforeANewOne()
    {
        var service = Make.Service("web");
        var pods = Pods(130);
        await Controller(service, pods.Take(120)).SyncAsync("default/web", CancellationToken.None);
        var stored = _client.Created.ToArray();   // 100 + 20
        _client.Created.Clear();

        await Controller(service, pods, stored).SyncAsync("default/web", CancellationToken.None);

        var updated = Assert.Single(_client.Updated);
        Assert.Equal(30, updated.Endpoints.Count);
        Assert.Empty(_client.Created);
    }

    [Fact]
    public async Task ASliceLeftEmpty_IsDeleted_OrReusedForNewEndpoints()
    {
        var service = Make.Service("web");
        var pods = Pods(101);
        await Controller(service, pods).SyncAsync("default/web", CancellationToken.None);
        var stored = _client.Created.ToArray();   // 100 + 1
        var small = stored.Single(s => s.Endpoints.Count == 1);
        _client.Created.Clear();

        await Controller(service, pods.Where(p => p.Metadata.Name != small.Endpoints[0].TargetRef.Name), stored).SyncAsync("default/web", CancellationToken.None);

        Assert.Equal([small.Metadata.Name], _client.Deleted);
        Assert.Empty(_client.Created);
        Assert.Empty(_client.Updated);
    }

    [Fact]
    public async Task NoEndpoints_IsOnePlaceholderSlice_KeptAsItIs()
    {
        var service = Make.Service("web");
        await Controller(service, []).SyncAsync("default/web", CancellationToken.None);
        var placeholder = Assert.Single(_client.Created);
        Assert.Empty(placeholder.Endpoints);
        Assert.Empty(placeholder.Ports);
        _client.Created.Clear();

        await Controller(service, [], placeholder).SyncAsync("default/web", CancellationToken.None);

        Assert.Empty(_client.Created);
        Assert.Empty(_client.Updated);
        Assert.Empty(_client.Deleted);
    }

    [Fact]
    public async Task PodsOfferingDifferentPorts_GetSlicesOfTheirOwn()
    {
        var service = Make.Service("web");
        var pods = Pods(2);
        pods[1].Spec.Containers[0].Ports[0].ContainerPort = 9090;

        await Controller(service, pods).SyncAsync("default/web", CancellationToken.None);

        Assert.Equal([8080, 9090], _client.Created.Select(s => Assert.Single(s.Ports).Port ?? 0).Order());
    }

    [Fact]
    public async Task APodOnAMissingNode_IsSkipped_AndTheSyncRetried()
    {
        var pods = Pods(2);
        pods[1].Spec.NodeName = "node-gone";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Controller(Make.Service("web"), pods).SyncAsync("default/web", CancellationToken.None));

        Assert.Contains("Node node-gone Not Found", error.Message, StringComparison.Ordinal);
        Assert.Equal(["p000"], Assert.Single(_client.Created).Endpoints.Select(e => e.TargetRef.Name));
        Assert.Equal("FailedToUpdateEndpointSlices", Assert.Single(_events.Recorded).Reason);
    }

    [Fact]
    public async Task ACacheTrailingItsOwnWrites_IsStale()
    {
        var service = Make.Service("web");
        var pods = Pods(3);
        var controller = Controller(service, pods);
        await controller.SyncAsync("default/web", CancellationToken.None);

        // Its own write seen at the generation it wrote: nothing to do; the cache without it: wait.
        Assert.False(controller.Tracker.ShouldSync(_client.Created[0]));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => controller.SyncAsync("default/web", CancellationToken.None));
        Assert.Contains("out of date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceLabelChanges_ReachTheSlices()
    {
        var service = Make.Service("web");
        await Controller(service, Pods(1)).SyncAsync("default/web", CancellationToken.None);
        var stored = _client.Created[0];

        service.Metadata.Labels["team"] = "b";
        await Controller(service, Pods(1), stored).SyncAsync("default/web", CancellationToken.None);

        Assert.Equal("b", Assert.Single(_client.Updated).Metadata.Labels["team"]);
    }
}
