using System.Collections.Concurrent;
using Flotilla.Controllers.Framework;
using k8s.Models;

namespace Flotilla.Controllers.Endpoints;

/// <summary>
/// The <c>endpoints.kubernetes.io/last-change-trigger-time</c> annotation (upstream TriggerTimeTracker): the earliest
/// pod readiness change or Service creation not yet reflected in the Service's endpoints, so the time from a change to
/// the proxies programming it can be measured. A Service seen for the first time reports its creation.
/// </summary>
public sealed class TriggerTimeTracker
{
    public const string Annotation = "endpoints.kubernetes.io/last-change-trigger-time";

    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Updates what the Service was last synced with; called once per sync, never twice at once for a key.</summary>
    /// <returns>The time to export, or null to export none.</returns>
    public DateTime? Compute(V1Service service, IEnumerable<V1Pod> pods)
    {
        var key = Client.ObjectKeys.Of(service);
        var known = _states.TryGetValue(key, out var state);
        var lastPods = state?.PodTimes ?? new Dictionary<string, DateTime>(StringComparer.Ordinal);
        DateTime? earliest = null;
        var podTimes = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (Pods.ReadyCondition(pod)?.LastTransitionTime is not { } changed)
            {
                continue;
            }

            podTimes[pod.Metadata.Name] = changed;
            if (!lastPods.TryGetValue(pod.Metadata.Name, out var before) || changed > before)
            {
                earliest = Earliest(earliest, changed);
            }
        }

        var created = service.Metadata.CreationTimestamp ?? DateTime.MinValue;
        if (state is null || created > state.ServiceTime)
        {
            earliest = Earliest(earliest, created);
        }

        _states[key] = new State(created, podTimes);
        return known ? earliest : service.Metadata.CreationTimestamp;
    }

    public void Forget(string key) => _states.TryRemove(key, out _);

    /// <summary>The annotation's value: RFC 3339 with the fraction Go's RFC3339Nano keeps.</summary>
    public static string Format(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture).Replace(".Z", "Z", StringComparison.Ordinal);

    private static DateTime Earliest(DateTime? current, DateTime candidate) => current is { } c && c <= candidate ? c : candidate;

    private sealed record State(DateTime ServiceTime, Dictionary<string, DateTime> PodTimes);
}
