using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Integration;

/// <summary>Cascading deletion in the three modes, and dangling owners, against a real API server with the controller manager.</summary>
public sealed class GarbageCollectorTests : Testing.ManagedCluster
{
    [Fact]
    public async Task Background_DeletesTheOwnerAtOnce_ThenItsDependents()
    {
        var owner = await OwnerAsync("bg");
        await DependentAsync("bg-1", owner);
        await DependentAsync("bg-2", owner);

        await Admin.CoreV1.DeleteNamespacedConfigMapAsync("bg", "default", new V1DeleteOptions { PropagationPolicy = "Background" });

        await EventuallyAsync(async () => (await NamesAsync()).Where(n => n.StartsWith("bg", StringComparison.Ordinal)).ToList(), n => n.Count == 0);
    }

    [Fact]
    public async Task Foreground_KeepsTheOwnerUntilItsBlockingDependentsAreGone()
    {
        var owner = await OwnerAsync("fg");
        await DependentAsync("fg-1", owner, block: true);

        await Admin.CoreV1.DeleteNamespacedConfigMapAsync("fg", "default", new V1DeleteOptions { PropagationPolicy = "Foreground" });
        var deleting = await Admin.CoreV1.ReadNamespacedConfigMapAsync("fg", "default");
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        Assert.Contains("foregroundDeletion", deleting.Metadata.Finalizers);

        await EventuallyAsync(async () => (await NamesAsync()).Where(n => n.StartsWith("fg", StringComparison.Ordinal)).ToList(), n => n.Count == 0);
    }

    [Fact]
    public async Task Orphan_DeletesTheOwner_AndLeavesItsDependentsWithoutTheReference()
    {
        var owner = await OwnerAsync("or");
        await DependentAsync("or-1", owner);

        await Admin.CoreV1.DeleteNamespacedConfigMapAsync("or", "default", new V1DeleteOptions { PropagationPolicy = "Orphan" });

        await EventuallyAsync(NamesAsync, n => !n.Contains("or"));
        var dependent = await Admin.CoreV1.ReadNamespacedConfigMapAsync("or-1", "default");
        Assert.Null(dependent.Metadata.OwnerReferences);  // none left, not an empty list (as upstream)
    }

    [Fact]
    public async Task ADependentOfAnOwnerThatNeverExisted_IsCollected_OneWithAnotherLiveOwnerOnlyLosesTheReference()
    {
        var ghost = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "ghost", Uid = "00000000-0000-0000-0000-0000000000aa" } };
        var live = await OwnerAsync("live");
        await DependentAsync("dangling", ghost);
        await DependentAsync("shared", ghost, live);

        await EventuallyAsync(NamesAsync, n => !n.Contains("dangling"));
        var shared = await EventuallyAsync(() => Admin.CoreV1.ReadNamespacedConfigMapAsync("shared", "default"), c => c.Metadata.OwnerReferences.Count == 1);
        Assert.Equal(live.Metadata.Uid, shared.Metadata.OwnerReferences[0].Uid);
    }

    private async Task<V1ConfigMap> OwnerAsync(string name) =>
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name } }, "default");

    private async Task DependentAsync(string name, V1ConfigMap owner, V1ConfigMap? second = null, bool block = false)
    {
        var owners = new[] { owner, second }.OfType<V1ConfigMap>()
            .Select(o => new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = o.Metadata.Name, Uid = o.Metadata.Uid, BlockOwnerDeletion = block ? true : null })
            .ToList();
        await Admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = name, OwnerReferences = owners } }, "default");
    }

    private async Task<List<string>> NamesAsync() =>
        [.. (await Admin.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(c => c.Metadata.Name)];
}
