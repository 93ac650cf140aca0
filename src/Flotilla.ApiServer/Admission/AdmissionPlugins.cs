using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Watch;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Admission;

/// <summary>
/// The admission chain the API server runs, in kube-apiserver's order. One list: a plugin is added here or nowhere.
/// </summary>
public static class AdmissionPlugins
{
    public static AdmissionChain Default(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new AdmissionChain(
        [
            // Upstream checks RBAC escalation in the rbac storage, ahead of every admission plugin.
            new RbacEscalation(services.GetRequiredService<RuleResolver>(), services.GetRequiredService<Authorizer>(), services.GetRequiredService<CacheSet>()),
        ]);
    }
}
