using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Core;

/// <summary>Services: DNS-1035 label names (they become DNS names and environment variables).</summary>
public sealed class ServiceStrategy(ResourceInfo resource) : ObjectStrategy<V1Service>(resource, allowCreateOnUpdate: true)
{
    public override IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.NameIsDns1035Label(name, prefix);
}
