using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler.Cache;

/// <summary>A pod the cache counts on a node: bound (seen bound by the informer) or assumed (placed, bind in flight).</summary>
internal sealed record PodState(PodInfo Info, string NodeName, bool Assumed);
