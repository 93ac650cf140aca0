namespace Flotilla.Scheduler.Framework;

/// <summary>What a PostFilter (preemption) achieved: the node the pod is nominated to, once victims are gone.</summary>
public sealed record PostFilterResult(string? NominatedNodeName);
