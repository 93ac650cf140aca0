using System.Globalization;
using System.Text.Json;
using Flotilla.Api.Resources;
using Flotilla.Api.Serialization;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Apps;

/// <summary>
/// DaemonSets: the template generation (upstream's spec.templateGeneration, which apps/v1 shows as the
/// <c>deprecated.daemonset.template.generation</c> annotation) starts at 1, goes up with every change of the pod
/// template, and is not the user's to set. The controller labels its pods with it.
/// </summary>
public sealed class DaemonSetStrategy(ResourceInfo resource) : ObjectStrategy<V1DaemonSet>(resource, tracksGeneration: true)
{
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    protected override void PrepareForCreate(V1DaemonSet obj) => SetGeneration(obj, 1);

    protected override void PrepareForUpdate(V1DaemonSet obj, V1DaemonSet old)
    {
        var generation = old.Metadata.Annotations?.TryGetValue(TemplateGenerationAnnotation, out var text) == true &&
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : 1;
        var templateChanged = JsonSerializer.Serialize(obj.Spec?.Template, KubernetesJsonOptions.Value) != JsonSerializer.Serialize(old.Spec?.Template, KubernetesJsonOptions.Value);
        SetGeneration(obj, templateChanged ? generation + 1 : generation);
    }

    private static void SetGeneration(V1DaemonSet obj, long generation)
    {
        obj.Metadata.Annotations ??= new Dictionary<string, string>();
        obj.Metadata.Annotations[TemplateGenerationAnnotation] = generation.ToString(CultureInfo.InvariantCulture);
    }
}
