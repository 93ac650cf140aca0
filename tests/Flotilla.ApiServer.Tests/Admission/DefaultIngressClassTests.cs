using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class DefaultIngressClassTests
{
    private static V1Ingress Ingress(string? className = null, string? annotation = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "team",
            Annotations = annotation is null ? null : new Dictionary<string, string> { ["kubernetes.io/ingress.class"] = annotation },
        },
        Spec = new V1IngressSpec { IngressClassName = className, DefaultBackend = new V1IngressBackend { Service = new V1IngressServiceBackend { Name = "web", Port = new V1ServiceBackendPort { Number = 80 } } } },
    };

    private static V1IngressClass Class(string name, string? isDefault = null, DateTime? created = null) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            CreationTimestamp = created,
            Annotations = isDefault is null ? null : new Dictionary<string, string> { ["ingressclass.kubernetes.io/is-default-class"] = isDefault },
        },
        Spec = new V1IngressClassSpec { Controller = "example.com/ingress" },
    };

    [Fact]
    public async Task AnIngressWithoutClass_GetsTheDefault_OneWithAClassOrTheAnnotation_KeepsIt()
    {
        await using var world = await AdmissionWorld.StartAsync("team");
        await world.AddAsync(Class("other"));
        await world.AddAsync(Class("flotilla", "true"));
        var plugin = new DefaultIngressClass(world.Lookup);

        var plain = Ingress();
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, plain), CancellationToken.None);
        var named = Ingress("other");
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, named), CancellationToken.None);
        var annotated = Ingress(annotation: "nginx");
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, annotated), CancellationToken.None);
        var updated = Ingress();
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Update, updated), CancellationToken.None);

        Assert.Equal("flotilla", plain.Spec.IngressClassName);
        Assert.Equal("other", named.Spec.IngressClassName);
        Assert.Null(annotated.Spec.IngressClassName);
        Assert.Null(updated.Spec.IngressClassName);
    }

    [Fact]
    public async Task NoDefault_LeavesTheIngressWithoutClass()
    {
        await using var world = await AdmissionWorld.StartAsync("team");
        await world.AddAsync(Class("slow", "false"));
        var ingress = Ingress();

        await new DefaultIngressClass(world.Lookup).AdmitAsync(world.Request(AdmissionOperation.Create, ingress), CancellationToken.None);

        Assert.Null(ingress.Spec.IngressClassName);
    }

    [Fact]
    public void SeveralDefaults_TheNewestWins_ThenTheFirstByName()
    {
        var old = Class("old", "true", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var newer = Class("newer", "true", new DateTime(2026, 2, 1, 0, 0, 0, DateTimeKind.Utc));
        var twin = Class("b-twin", "true", newer.Metadata.CreationTimestamp);

        Assert.Equal("b-twin", DefaultIngressClass.Default([old, newer, twin])?.Metadata.Name);
        Assert.Equal("newer", DefaultIngressClass.Default([old, newer])?.Metadata.Name);
    }
}
