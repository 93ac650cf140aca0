using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Queue;

/// <summary>A cluster event seen while pods were being scheduled, with the objects it carried.</summary>
internal sealed record InFlightEvent(ClusterEvent Event, object? OldObject, object? NewObject);
