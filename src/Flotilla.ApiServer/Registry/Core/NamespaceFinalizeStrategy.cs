using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Core;

/// <summary>
/// Updates through <c>namespaces/&lt;name&gt;/finalize</c> (upstream's namespaceFinalizeStrategy): only
/// <c>spec.finalizers</c> changes — the namespace controller removes <c>kubernetes</c> there once the namespace is
/// empty, and a Terminating namespace with no finalizers left is deleted.
/// </summary>
public sealed class NamespaceFinalizeStrategy(IObjectStrategy main) : IObjectStrategy
{
    public ResourceInfo Resource => main.Resource;

    public bool TracksGeneration => false;

    public bool AllowCreateOnUpdate => false;

    public IObjectStrategy? StatusStrategy => null;

    public IKubernetesObject<V1ObjectMeta> Decode(ReadOnlySpan<byte> json) => main.Decode(json);

    public byte[] Encode(IKubernetesObject<V1ObjectMeta> obj) => main.Encode(obj);

    public void Default(IKubernetesObject<V1ObjectMeta> obj) => main.Default(obj);

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj) => throw new InvalidOperationException("finalize never creates");

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var (ns, was) = ((V1Namespace)obj, (V1Namespace)old);
        var finalizers = ns.Spec?.Finalizers;
        ns.Metadata = Api.Serialization.DeepCopy.Of(was.Metadata);
        ns.Status = was.Status;
        ns.Spec = new V1NamespaceSpec { Finalizers = finalizers };
    }

    public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) => main.Validate(obj);

    public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) => main.Validate(obj);

    public IReadOnlyList<string> ValidateName(string name, bool prefix) => main.ValidateName(name, prefix);
}
