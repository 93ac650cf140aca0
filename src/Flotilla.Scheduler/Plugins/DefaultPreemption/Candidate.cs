using k8s.Models;

namespace Flotilla.Scheduler.Plugins.DefaultPreemption;

/// <summary>A node where evicting <see cref="Victims"/> (highest priority first) makes room for the preemptor.</summary>
internal sealed record Candidate(string NodeName, IReadOnlyList<V1Pod> Victims, int PdbViolations);
