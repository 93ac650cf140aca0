namespace Flotilla.ApiServer.Audit;

/// <summary>
/// Resources of one API group a policy rule names (audit.k8s.io/v1 GroupResources): <c>pods</c>, <c>pods/log</c>,
/// <c>*</c> (all, with subresources), <c>pods/*</c>, <c>*/scale</c>; optionally only some objects by name.
/// </summary>
public sealed record AuditGroupResources(string Group, IReadOnlyList<string> Resources, IReadOnlyList<string> ResourceNames);
