using System.Diagnostics.CodeAnalysis;
using k8s.Models;

namespace Flotilla.Client.Events;

/// <summary>
/// What to do with one recorded event: skip it (spam), create <see cref="Event"/>, or — when <see cref="Patch"/> is
/// set — patch the Event already recorded under <see cref="Event"/>'s name (creating it if it has gone).
/// </summary>
public sealed record EventCorrelation(Corev1Event? Event, V1Patch? Patch)
{
    public static EventCorrelation Skipped { get; } = new(null, null);

    [MemberNotNullWhen(false, nameof(Event))]
    public bool Skip => Event is null;
}
