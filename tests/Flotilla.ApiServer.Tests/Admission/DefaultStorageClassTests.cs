using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class DefaultStorageClassTests
{
    private static V1PersistentVolumeClaim Claim(string? storageClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "data", NamespaceProperty = "team" },
        Spec = new V1PersistentVolumeClaimSpec { StorageClassName = storageClass, AccessModes = ["ReadWriteOnce"] },
    };

    private static V1StorageClass Class(string name, string? defaultAnnotation = null, bool beta = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = defaultAnnotation is null ? null : new Dictionary<string, string>
            {
                [beta ? "storageclass.beta.kubernetes.io/is-default-class" : "storageclass.kubernetes.io/is-default-class"] = defaultAnnotation,
            },
        },
        Provisioner = "example.com/p",
    };

    [Fact]
    public async Task ClaimWithoutClass_GetsTheDefault_OneNamingAClassOrEmpty_KeepsIt()
    {
        await using var world = await AdmissionWorld.StartAsync("team");
        await world.AddAsync(Class("fast"));
        await world.AddAsync(Class("local-path", "true"));
        var plugin = new DefaultStorageClass(world.Lookup);

        var plain = Claim();
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, plain), CancellationToken.None);
        Assert.Equal("local-path", plain.Spec.StorageClassName);

        var named = Claim("fast");
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, named), CancellationToken.None);
        Assert.Equal("fast", named.Spec.StorageClassName);

        var none = Claim("");
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, none), CancellationToken.None);
        Assert.Equal("", none.Spec.StorageClassName);
    }

    [Fact]
    public async Task NoDefault_LeavesTheClaimWithoutClass_AFalseAnnotationIsNoDefault()
    {
        await using var world = await AdmissionWorld.StartAsync("team");
        await world.AddAsync(Class("slow", "false"));
        var claim = Claim();
        await new DefaultStorageClass(world.Lookup).AdmitAsync(world.Request(AdmissionOperation.Create, claim), CancellationToken.None);
        Assert.Null(claim.Spec.StorageClassName);
    }

    [Fact]
    public void SeveralDefaults_TheNewestWins_ThenTheFirstByName_TheBetaAnnotationCounts()
    {
        var old = Class("old", "true");
        old.Metadata.CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var newer = Class("newer", "true", beta: true);
        newer.Metadata.CreationTimestamp = new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc);
        var twin = Class("b-twin", "true");
        twin.Metadata.CreationTimestamp = newer.Metadata.CreationTimestamp;
        Assert.Equal("b-twin", DefaultStorageClass.Default([old, newer, twin])?.Metadata.Name);
        Assert.Equal("newer", DefaultStorageClass.Default([old, newer])?.Metadata.Name);
    }
}
