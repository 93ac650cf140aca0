using Flotilla.ApiServer.Admission.Plugins;
using Flotilla.ApiServer.Registry;
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
        var time = services.GetRequiredService<TimeProvider>();
        var lookup = new AdmissionLookup(services.GetRequiredService<ResourceRegistry>(), services.GetRequiredService<CacheSet>());
        return new AdmissionChain(
        [
            new ServiceAccountAdmission(lookup, time),
            new DefaultTolerationSeconds(),
            new PriorityAdmission(lookup),
            new LimitRanger(lookup),
            new ResourceQuotaAdmission(lookup),
        ]);
    }
}
