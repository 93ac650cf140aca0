using k8s;
using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>
/// Records core/v1 Events about objects on behalf of one component (client-go's record.EventRecorder). Recording never
/// blocks and never fails because of the API server: an event is worth less than the work it describes.
/// </summary>
public interface IEventRecorder
{
    /// <summary>Records an event about <paramref name="involved"/>, in its namespace (<c>default</c> when it has none).</summary>
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">Short and UpperCamelCase, for machines to switch on (<c>Scheduled</c>, <c>FailedScheduling</c>).</param>
    /// <param name="message">For people.</param>
    void Event(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message);

    /// <inheritdoc cref="Event(IKubernetesObject{V1ObjectMeta}, string, string, string)"/>
    void Event(V1ObjectReference involved, string type, string reason, string message);
}
