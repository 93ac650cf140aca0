using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// A strategy for the server's own updates that upstream makes straight on storage, past the kind's update rules
/// (pods/binding sets spec.nodeName, which no client update may change): prepare and validate nothing.
/// </summary>
public sealed class UncheckedUpdate(IObjectStrategy inner) : IObjectStrategy
{
    public ResourceInfo Resource => inner.Resource;

    public bool TracksGeneration => inner.TracksGeneration;

    public bool AllowCreateOnUpdate => false;

    public IObjectStrategy? StatusStrategy => null;

    public IKubernetesObject<V1ObjectMeta> Decode(ReadOnlySpan<byte> json) => inner.Decode(json);

    public byte[] Encode(IKubernetesObject<V1ObjectMeta> obj) => inner.Encode(obj);

    public void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
    }

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj) => throw new InvalidOperationException("unchecked updates never create");

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
    }

    public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) => [];

    public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) => [];

    public IReadOnlyList<string> ValidateName(string name, bool prefix) => inner.ValidateName(name, prefix);
}
