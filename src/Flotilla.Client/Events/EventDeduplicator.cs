using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>
/// client-go's eventLogger: remembers the Events recorded by key; an event seen before becomes the earlier Event with
/// its count raised, sent as a patch of <c>count</c>, <c>lastTimestamp</c> and <c>message</c> (upstream's two-way
/// merge patch against a copy with those three cleared).
/// </summary>
internal sealed class EventDeduplicator(EventCorrelatorOptions options)
{
    private readonly LruCache<string, (int Count, DateTime? FirstTimestamp, string? Name, string? ResourceVersion)> _recorded = new(options.CacheSize);

    public (Corev1Event Event, V1Patch? Patch) Observe(Corev1Event e, string key)
    {
        V1Patch? patch = null;
        if (_recorded.TryGet(key, out var last) && last.Count > 0)
        {
            e = e with
            {
                Metadata = (e.Metadata ?? new V1ObjectMeta()) with { Name = last.Name, ResourceVersion = last.ResourceVersion },
                FirstTimestamp = last.FirstTimestamp,
                Count = last.Count + 1,
            };
            patch = Patch(e);
        }

        Remember(key, e);
        return (e, patch);
    }

    /// <summary>Takes what the API server returned as the state of the Event (name, count, resourceVersion).</summary>
    public void Update(Corev1Event written) => Remember(EventKeys.Event(written), written);

    private void Remember(string key, Corev1Event e) =>
        _recorded.Set(key, (e.Count ?? 0, e.FirstTimestamp, e.Metadata?.Name, e.Metadata?.ResourceVersion));

    private static V1Patch Patch(Corev1Event e)
    {
        var body = new JsonObject
        {
            ["count"] = e.Count,
            ["lastTimestamp"] = e.LastTimestamp?.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture),
            ["message"] = e.Message,
        };
        return new V1Patch(body.ToJsonString(), V1Patch.PatchType.StrategicMergePatch);
    }
}
