using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>Events with formatted messages (client-go's Eventf), formatted with the invariant culture.</summary>
public static class EventRecorderExtensions
{
    public static void Event(this IEventRecorder recorder, IKubernetesObject<V1ObjectMeta> involved, string type, string reason, [StringSyntax(StringSyntaxAttribute.CompositeFormat)] string format, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        recorder.Event(involved, type, reason, string.Format(CultureInfo.InvariantCulture, format, args));
    }

    public static void Event(this IEventRecorder recorder, V1ObjectReference involved, string type, string reason, [StringSyntax(StringSyntaxAttribute.CompositeFormat)] string format, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        recorder.Event(involved, type, reason, string.Format(CultureInfo.InvariantCulture, format, args));
    }
}
