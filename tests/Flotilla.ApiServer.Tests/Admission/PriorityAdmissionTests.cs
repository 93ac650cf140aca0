using Flotilla.Api.Errors;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.Plugins;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission;

public sealed class PriorityAdmissionTests
{
    private static V1Pod Pod(string? priorityClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" },
        Spec = new V1PodSpec { PriorityClassName = priorityClass, Containers = [new V1Container { Name = "app", Image = "busybox" }] },
    };

    private static V1PriorityClass Class(string name, int value, bool globalDefault = false, string? preemption = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Value = value, GlobalDefault = globalDefault, PreemptionPolicy = preemption };

    [Fact]
    public async Task NamedClass_GivesItsValueAndPolicy_AGlobalDefault_ThePodsWithoutOne()
    {
        await using var world = await AdmissionWorld.StartAsync("team");
        await world.AddAsync(Class("high", 1000, preemption: "Never"));
        await world.AddAsync(Class("normal", 10, globalDefault: true));
        var plugin = new PriorityAdmission(world.Lookup);

        var named = Pod("high");
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, named), CancellationToken.None);
        Assert.Equal((1000, "Never"), (named.Spec.Priority, named.Spec.PreemptionPolicy));

        var plain = Pod();
        await plugin.AdmitAsync(world.Request(AdmissionOperation.Create, plain), CancellationToken.None);
        Assert.Equal(("normal", 10), (plain.Spec.PriorityClassName, plain.Spec.Priority));
    }

    [Fact]
    public async Task UnknownClass_IsForbidden()
    {
        await using var world = await AdmissionWorld.StartAsync("team");
        var e = await Assert.ThrowsAsync<StatusException>(async () =>
            await new PriorityAdmission(world.Lookup).AdmitAsync(world.Request(AdmissionOperation.Create, Pod("gold")), CancellationToken.None));
        Assert.Equal((403, "pods \"p\" is forbidden: no PriorityClass with name gold was found"), (e.Code, e.Message));
    }

    [Fact]
    public async Task SecondGlobalDefault_IsForbidden_TheSameOneMayBeUpdated()
    {
        await using var world = await AdmissionWorld.StartAsync();
        await world.AddAsync(Class("normal", 10, globalDefault: true));
        var plugin = new PriorityAdmission(world.Lookup);
        var e = await Assert.ThrowsAsync<StatusException>(async () =>
            await plugin.ValidateAsync(world.Request(AdmissionOperation.Create, Class("other", 5, globalDefault: true)), CancellationToken.None));
        Assert.Equal("priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass normal is already marked as default. Only one default can exist", e.Message);
        await plugin.ValidateAsync(world.Request(AdmissionOperation.Update, Class("normal", 11, globalDefault: true), Class("normal", 10, globalDefault: true)), CancellationToken.None);
    }
}
