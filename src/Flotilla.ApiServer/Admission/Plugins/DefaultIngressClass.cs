using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's DefaultIngressClass: an Ingress created with neither <c>spec.ingressClassName</c> nor the
/// <c>kubernetes.io/ingress.class</c> annotation gets the default IngressClass — the one annotated
/// <c>ingressclass.kubernetes.io/is-default-class: "true"</c>, the newest when several are, then the first by name.
/// </summary>
public sealed class DefaultIngressClass(AdmissionLookup lookup) : IMutatingAdmission
{
    public const string IsDefaultAnnotation = "ingressclass.kubernetes.io/is-default-class";
    public const string ClassAnnotation = "kubernetes.io/ingress.class";

    public string Name => "DefaultIngressClass";

    public ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation != AdmissionOperation.Create || !request.Is("networking.k8s.io", "ingresses") || request.Object is not V1Ingress ingress)
        {
            return ValueTask.CompletedTask;
        }

        if (ingress.Spec?.IngressClassName is not null || ingress.Metadata?.Annotations?.ContainsKey(ClassAnnotation) == true)
        {
            return ValueTask.CompletedTask;
        }

        var chosen = Default(lookup.List<V1IngressClass>("networking.k8s.io", "ingressclasses", null));
        if (chosen is not null)
        {
            ingress.Spec ??= new V1IngressSpec();
            ingress.Spec.IngressClassName = chosen.Metadata.Name;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The default class among <paramref name="classes"/>, or null.</summary>
    public static V1IngressClass? Default(IEnumerable<V1IngressClass> classes) =>
        classes
            .Where(c => c.Metadata?.Annotations?.TryGetValue(IsDefaultAnnotation, out var value) == true && value == "true")
            .OrderByDescending(c => c.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
}
