using System.Collections.Concurrent;
using Flotilla.Client.Events;
using k8s;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>The events a controller records, as (object name, reason).</summary>
internal sealed class RecordingEvents : IEventRecorder
{
    public ConcurrentQueue<(string Name, string Reason, string Message)> Recorded { get; } = new();

    public void Event(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message) => Recorded.Enqueue((involved.Metadata.Name, reason, message));

    public void Event(V1ObjectReference involved, string type, string reason, string message) => Recorded.Enqueue((involved.Name, reason, message));
}
