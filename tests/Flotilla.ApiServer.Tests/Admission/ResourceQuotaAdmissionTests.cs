using Flotilla.Api.Errors;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class ResourceQuotaAdmissionTests
{
    private static Dictionary<string, ResourceQuantity> Q(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => new ResourceQuantity(v.Value));

    private static V1Pod Pod(string name, string? cpu = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team" },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "app", Image = "busybox", Resources = cpu is null ? null : new V1ResourceRequirements { Requests = Q(("cpu", cpu)), Limits = Q(("cpu", cpu)) } }],
        },
    };

    /// <summary>A quota whose status the quota controller has already synced.</summary>
    private static async Task<AdmissionWorld> WorldAsync(Dictionary<string, ResourceQuantity> hard, Dictionary<string, ResourceQuantity> used, IList<string>? scopes = null)
    {
        var world = await AdmissionWorld.StartAsync("team");
        await world.AddAsync(new V1ResourceQuota
        {
            Metadata = new V1ObjectMeta { Name = "q", NamespaceProperty = "team" },
            Spec = new V1ResourceQuotaSpec { Hard = hard, Scopes = scopes },
        });
        var quotas = world.Registry.Find("", "v1", "resourcequotas")!;
        await quotas.UpdateAsync("team", "q", quotas.Strategy.StatusStrategy!, current =>
        {
            ((V1ResourceQuota)current!).Status = new V1ResourceQuotaStatus { Hard = hard, Used = used };
            return current;
        }, dryRun: false, admission: null, CancellationToken.None);
        await world.Caches.WaitFreshAsync(CancellationToken.None);
        return world;
    }

    private static async Task<V1ResourceQuotaStatus> StatusAsync(AdmissionWorld world) =>
        ((V1ResourceQuota)(await world.Registry.Find("", "v1", "resourcequotas")!.GetAsync("team", "q", CancellationToken.None)).Object).Status;

    [Fact]
    public async Task Admitted_ChargesTheQuota_AndTheOneOverIsRefused()
    {
        await using var world = await WorldAsync(Q(("pods", "2"), ("requests.cpu", "1")), Q(("pods", "1"), ("requests.cpu", "250m")));
        var plugin = new ResourceQuotaAdmission(world.Lookup);
        await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, Pod("a", "500m")), CancellationToken.None);
        var status = await StatusAsync(world);
        Assert.Equal(("2", "750m"), (status.Used["pods"].ToString(), status.Used["requests.cpu"].ToString()));

        var e = await Assert.ThrowsAsync<StatusException>(async () => await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, Pod("b", "500m")), CancellationToken.None));
        Assert.Equal((403, "pods \"b\" is forbidden: exceeded quota: q, requested: pods=1,requests.cpu=500m, used: pods=2,requests.cpu=750m, limited: pods=2,requests.cpu=1"), (e.Code, e.Message));
    }

    [Fact]
    public async Task ComputeQuota_RequiresEveryContainerToStateIt()
    {
        await using var world = await WorldAsync(Q(("limits.memory", "1Gi"), ("requests.cpu", "1")), Q(("limits.memory", "0"), ("requests.cpu", "0")));
        var e = await Assert.ThrowsAsync<StatusException>(async () =>
            await new ResourceQuotaAdmission(world.Lookup).ValidateAsync(world.Request(AdmissionOperation.Create, Pod("a")), CancellationToken.None));
        Assert.Equal("pods \"a\" is forbidden: failed quota: q: must specify limits.memory for: app; requests.cpu for: app", e.Message);
    }

    [Fact]
    public async Task UnsyncedQuota_RefusesWithStatusUnknown_DryRunChargesNothing_OtherKindsPass()
    {
        await using var world = await WorldAsync(Q(("pods", "5")), Q());
        var plugin = new ResourceQuotaAdmission(world.Lookup);
        var e = await Assert.ThrowsAsync<StatusException>(async () => await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, Pod("a")), CancellationToken.None));
        Assert.Equal("pods \"a\" is forbidden: status unknown for quota: q, resources: pods", e.Message);
        await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", NamespaceProperty = "team" } }), CancellationToken.None);
    }

    [Fact]
    public async Task ScopedQuota_CountsOnlyMatchingPods()
    {
        await using var world = await WorldAsync(Q(("pods", "0")), Q(("pods", "0")), scopes: ["BestEffort"]);
        var plugin = new ResourceQuotaAdmission(world.Lookup);
        await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, Pod("guaranteed", "1")), CancellationToken.None);
        await Assert.ThrowsAsync<StatusException>(async () => await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, Pod("besteffort")), CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentCreates_NeverExceedTheQuota()
    {
        await using var world = await WorldAsync(Q(("pods", "3")), Q(("pods", "0")));
        var plugin = new ResourceQuotaAdmission(world.Lookup);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            try
            {
                await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, Pod($"p{i}")), CancellationToken.None);
                return true;
            }
            catch (StatusException e) when (e.Code == 403)
            {
                return false;
            }
        })));
        Assert.Equal(3, outcomes.Count(admitted => admitted));
        Assert.Equal("3", (await StatusAsync(world)).Used["pods"].ToString());
    }
}
