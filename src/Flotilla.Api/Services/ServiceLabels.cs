namespace Flotilla.Api.Services;

/// <summary>The well-known labels that tie EndpointSlices to Services and Services to their proxy.</summary>
public static class ServiceLabels
{
    /// <summary>On an EndpointSlice: the Service it belongs to.</summary>
    public const string ServiceName = "kubernetes.io/service-name";

    /// <summary>On a headless Service's EndpointSlices: kube-proxy leaves them alone.</summary>
    public const string Headless = "service.kubernetes.io/headless";

    /// <summary>On a Service: served by another proxy than kube-proxy, which leaves it alone.</summary>
    public const string ProxyName = "service.kubernetes.io/service-proxy-name";
}
