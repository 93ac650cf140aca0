namespace Flotilla.Scheduler.Framework;

/// <summary>
/// The cluster events after which a pod this plugin rejected is worth trying again; the queue moves it out of the
/// unschedulable set only then.
/// </summary>
public interface IEnqueueExtensions
{
    IReadOnlyList<ClusterEvent> EventsToRegister();
}
