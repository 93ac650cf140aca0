using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Rbac;

/// <summary>RBAC objects: names are any path segment (upstream allows <c>system:discovery</c>), not DNS subdomains.</summary>
public sealed class RbacStrategy<T>(ResourceInfo resource) : ObjectStrategy<T>(resource)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public override IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.NameIsPathSegment(name, prefix);
}
