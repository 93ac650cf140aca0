namespace Flotilla.ApiServer.Admission;

/// <summary>
/// The ordered admission plugins: every mutating plugin in order, then (after the strategy's validation) every
/// validating plugin in order, as kube-apiserver runs them. The first refusal ends the request.
/// </summary>
public sealed class AdmissionChain(IReadOnlyList<IAdmissionPlugin> plugins)
{
    public static AdmissionChain Empty { get; } = new([]);

    public IReadOnlyList<IAdmissionPlugin> Plugins { get; } = plugins;

    public async ValueTask MutateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        foreach (var plugin in Plugins)
        {
            if (plugin is IMutatingAdmission mutating)
            {
                await mutating.AdmitAsync(request, cancellationToken);
            }
        }
    }

    public async ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        foreach (var plugin in Plugins)
        {
            if (plugin is IValidatingAdmission validating)
            {
                await validating.ValidateAsync(request, cancellationToken);
            }
        }
    }
}
