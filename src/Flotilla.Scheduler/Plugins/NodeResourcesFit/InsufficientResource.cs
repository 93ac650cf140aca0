namespace Flotilla.Scheduler.Plugins.NodeResourcesFit;

/// <summary>A resource the node lacks for the pod (upstream noderesources.InsufficientResource), in the scheduler's units.</summary>
public sealed record InsufficientResource(string ResourceName, string Reason, long Requested, long Used, long Capacity);
