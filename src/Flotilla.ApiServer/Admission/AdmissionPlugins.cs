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
            PodSecurity.PodSecurityAdmission.FromServices(services),
        ]);
    }
}
