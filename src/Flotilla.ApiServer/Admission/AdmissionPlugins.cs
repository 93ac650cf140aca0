using Flotilla.ApiServer.Admission.Plugins;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using Microsoft.Extensions.DependencyInjection;

namespace Flotilla.ApiServer.Admission;

/// <summary>
/// The admission chain the API server runs, in kube-apiserver's order (NamespaceLifecycle is the storage's own
/// check, <see cref="Registry.NamespaceLifecycle"/>). One list: a plugin is added here or nowhere.
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
            // Upstream checks RBAC escalation in the rbac storage, ahead of every admission plugin.
            new RbacEscalation(services.GetRequiredService<RuleResolver>(), services.GetRequiredService<Authorizer>(), services.GetRequiredService<CacheSet>()),
            new LimitRanger(lookup),
            new ServiceAccountAdmission(lookup, time),
            new NodeRestriction(lookup),
            PodSecurity.PodSecurityAdmission.FromServices(services),
            new PriorityAdmission(lookup),
            new DefaultTolerationSeconds(),
            new DefaultStorageClass(lookup),
            new StorageObjectInUseProtection(),
            new DefaultIngressClass(lookup),
            new Certificates.CertificateApproval(services.GetRequiredService<Authorizer>()),
            new Certificates.CertificateSigning(services.GetRequiredService<Authorizer>()),
            new Certificates.CertificateSubjectRestriction(),
            new ResourceQuotaAdmission(lookup),
        ]);
    }
}
