using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Conversion;

/// <summary>events.k8s.io/v1 Event ↔ core/v1 Event, field for field as upstream converts them (regarding = involvedObject, note = message, ...).</summary>
public sealed class EventConversion : IVersionConverter
{
    public IKubernetesObject<V1ObjectMeta> ToServed(IKubernetesObject<V1ObjectMeta> stored)
    {
        var e = (Corev1Event)stored;
        return new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = e.Metadata,
            Regarding = e.InvolvedObject,
            Note = e.Message,
            Reason = e.Reason,
            Type = e.Type,
            EventTime = e.EventTime,
            Action = e.Action,
            Related = e.Related,
            ReportingController = e.ReportingComponent,
            ReportingInstance = e.ReportingInstance,
            DeprecatedSource = e.Source,
            DeprecatedFirstTimestamp = e.FirstTimestamp,
            DeprecatedLastTimestamp = e.LastTimestamp,
            DeprecatedCount = e.Count,
            Series = e.Series is null ? null : new Eventsv1EventSeries { Count = e.Series.Count ?? 0, LastObservedTime = e.Series.LastObservedTime ?? default },
        };
    }

    public IKubernetesObject<V1ObjectMeta> ToStored(IKubernetesObject<V1ObjectMeta> served)
    {
        var e = (Eventsv1Event)served;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = e.Metadata,
            InvolvedObject = e.Regarding ?? new V1ObjectReference(),
            Message = e.Note,
            Reason = e.Reason,
            Type = e.Type,
            EventTime = e.EventTime,
            Action = e.Action,
            Related = e.Related,
            ReportingComponent = e.ReportingController,
            ReportingInstance = e.ReportingInstance,
            Source = e.DeprecatedSource,
            FirstTimestamp = e.DeprecatedFirstTimestamp,
            LastTimestamp = e.DeprecatedLastTimestamp,
            Count = e.DeprecatedCount,
            Series = e.Series is null ? null : new Corev1EventSeries { Count = e.Series.Count, LastObservedTime = e.Series.LastObservedTime },
        };
    }
}
