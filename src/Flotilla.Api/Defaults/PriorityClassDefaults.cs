using k8s.Models;

namespace Flotilla.Api.Defaults;

/// <summary>Upstream's scheduling/v1 SetDefaults_PriorityClass.</summary>
public static class PriorityClassDefaults
{
    public const string PreemptLowerPriority = "PreemptLowerPriority";

    public static void Apply(V1PriorityClass priorityClass)
    {
        ArgumentNullException.ThrowIfNull(priorityClass);
        priorityClass.PreemptionPolicy ??= PreemptLowerPriority;
    }
}
