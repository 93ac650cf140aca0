using k8s;
using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>Records nothing: for a writer whose caller words the events itself (the StatefulSet controller's pod writes).</summary>
public sealed class NoEvents : IEventRecorder
{
    public static readonly NoEvents Instance = new();

    private NoEvents()
    {
    }

    public void Event(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message)
    {
    }

    public void Event(V1ObjectReference involved, string type, string reason, string message)
    {
    }
}
