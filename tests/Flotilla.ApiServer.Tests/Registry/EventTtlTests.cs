using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry;
using Flotilla.Storage.Memory;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Registry;

public sealed class EventTtlTests
{
    [Fact]
    public async Task Event_ExpiresAfterAnHour_OtherObjectsStay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var store = new MemoryStore(time);
        var registry = new ResourceRegistry(ResourceCatalog.Default, store, time);
        await registry.Find("", "v1", "namespaces")!.CreateAsync(null, new V1Namespace { Metadata = new V1ObjectMeta { Name = "default" } }, dryRun: false, admission: null, CancellationToken.None);
        var events = registry.Find("", "v1", "events")!;
        await events.CreateAsync("default", new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "e1" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = "default" },
            Reason = "Test",
            Message = "hello",
            Type = "Normal",
        }, dryRun: false, admission: null, CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(59));
        await Task.Delay(50);
        Assert.Equal("hello", ((Corev1Event)(await events.GetAsync("default", "e1", CancellationToken.None)).Object).Message);

        time.Advance(TimeSpan.FromMinutes(3));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                await events.GetAsync("default", "e1", CancellationToken.None);
            }
            catch (Flotilla.Api.Errors.StatusException e) when (e.Code == 404)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the event outlived its hour");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.NotNull(await registry.Find("", "v1", "namespaces")!.GetAsync(null, "default", CancellationToken.None));
    }
}
