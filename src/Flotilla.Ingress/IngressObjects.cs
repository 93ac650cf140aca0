using Flotilla.Api.Services;
using Flotilla.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Ingress;

/// <summary>
/// What the controller brings into the cluster, as k3s' Traefik chart does: the IngressClass <c>flotilla</c> (the
/// default), and <c>kube-system/flotilla-ingress</c>, a LoadBalancer Service holding the HTTP and HTTPS ports — so the
/// service load balancer gives it the nodes' addresses (which become the Ingresses' status) and a later LoadBalancer
/// asking for those ports waits with an event. The controller listens itself, so the Service is handed away from
/// kube-proxy and has no node ports. Both are kept as found when they exist.
/// </summary>
public static class IngressObjects
{
    public const string ServiceNamespace = "kube-system";
    public const string ServiceName = "flotilla-ingress";
    public const string IsDefaultAnnotation = "ingressclass.kubernetes.io/is-default-class";

    public static async Task EnsureAsync(IKubernetes client, IngressOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var ingressClass = new V1IngressClass
        {
            Metadata = new V1ObjectMeta { Name = IngressOptions.ClassName, Annotations = new Dictionary<string, string> { [IsDefaultAnnotation] = "true" } },
            Spec = new V1IngressClassSpec { Controller = IngressOptions.ControllerName },
        };
        await CreateOrKeepAsync(() => client.NetworkingV1.CreateIngressClassAsync(ingressClass, cancellationToken: cancellationToken));
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = ServiceName, [ServiceLabels.ProxyName] = ServiceName };
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = ServiceName, Labels = labels },
            Spec = new V1ServiceSpec
            {
                Type = "LoadBalancer",
                AllocateLoadBalancerNodePorts = false,
                Ports =
                [
                    new V1ServicePort { Name = "http", Port = options.Http.Port, Protocol = "TCP", TargetPort = options.Http.Port },
                    new V1ServicePort { Name = "https", Port = options.Https.Port, Protocol = "TCP", TargetPort = options.Https.Port },
                ],
            },
        };
        await CreateOrKeepAsync(() => client.CoreV1.CreateNamespacedServiceAsync(service, ServiceNamespace, cancellationToken: cancellationToken));
    }

    private static async Task CreateOrKeepAsync(Func<Task> create)
    {
        try
        {
            await create();
        }
        catch (HttpOperationException e) when (ApiErrors.IsConflict(e))
        {
            // Made at an earlier start (and perhaps changed since, which is the administrator's to do).
        }
    }
}
