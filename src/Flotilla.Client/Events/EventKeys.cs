using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>
/// What the correlator groups events by (client-go's getSpamKey, EventAggregatorByReasonFunc and getEventKey). Fields
/// are joined with a separator that names, kinds and reasons cannot hold, so two different events never share a key.
/// </summary>
internal static class EventKeys
{
    private const string Separator = "\u001f";

    /// <summary>Who reports about which object: what the spam filter limits.</summary>
    public static string Spam(Corev1Event e) => string.Join(Separator, Source(e));

    /// <summary>Similar events: alike but for the message (and the involved object's field path, as upstream).</summary>
    public static string Aggregate(Corev1Event e) =>
        string.Join(Separator, [.. Source(e), e.Type, e.Reason, e.ReportingComponent, e.ReportingInstance]);

    /// <summary>Identical events, which are counted on one Event.</summary>
    public static string Event(Corev1Event e) =>
        string.Join(Separator, [.. Source(e), e.InvolvedObject?.FieldPath, e.Type, e.Reason, e.Message]);

    private static string?[] Source(Corev1Event e)
    {
        var o = e.InvolvedObject;
        return [e.Source?.Component, e.Source?.Host, o?.Kind, o?.NamespaceProperty, o?.Name, o?.Uid, o?.ApiVersion];
    }
}
