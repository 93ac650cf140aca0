using System.Collections.Concurrent;
using Flotilla.Client.Events;
using k8s;
using k8s.Models;

namespace Flotilla.Tests.Shared;

/// <summary>The events a component records, as (object name, reason, message), with the container field path when there is one.</summary>
internal sealed class RecordingEvents : IEventRecorder
{
    public ConcurrentQueue<(string Name, string Reason, string Message)> Recorded { get; } = new();

    /// <summary>The field path of each recorded event, in order (null for the object as a whole).</summary>
    public ConcurrentQueue<string?> FieldPaths { get; } = new();

    public void Event(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message)
    {
        Recorded.Enqueue((involved.Metadata.Name, reason, message));
        FieldPaths.Enqueue(null);
    }

    public void Event(V1ObjectReference involved, string type, string reason, string message)
    {
        Recorded.Enqueue((involved.Name, reason, message));
        FieldPaths.Enqueue(involved.FieldPath);
    }
}
