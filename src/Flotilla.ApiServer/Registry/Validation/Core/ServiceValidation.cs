using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>
/// Upstream ValidateService and ValidateServiceUpdate. Fields upstream's defaulting or allocators fill before
/// validating (type, sessionAffinity, protocols, targetPort, traffic policies, node ports) are not required here.
/// </summary>
public static class ServiceValidation
{
    private const string SourceRangesAnnotation = "service.beta.kubernetes.io/load-balancer-source-ranges";
    private const int MaxClientIpAffinitySeconds = 86400;

    private static readonly string[] Types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];

    public static List<FieldError> Validate(V1Service service)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var path = FieldPath.Root("spec");
        var type = Type(spec);
        var clusterIps = ServiceClusterIpValidation.ClusterIps(spec);
        var headless = clusterIps is ["None"];
        var ports = spec.Ports ?? [];
        var errors = new List<FieldError>();
        if (ports.Count == 0 && !headless && type != "ExternalName")
        {
            errors.Add(FieldError.Required(path.Child("ports")));
        }

        switch (type)
        {
            case "LoadBalancer" or "NodePort" when headless:
                errors.Add(FieldError.Invalid(path.Child("clusterIPs").Index(0), "None", $"may not be set to 'None' for {type} services"));
                break;
            case "ExternalName":
                errors.AddRange(ExternalName(spec, clusterIps, path));
                break;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            errors.AddRange(Port(ports[i], ports.Count > 1, names, path.Child("ports").Index(i)));
        }

        if (spec.Selector is not null)
        {
            errors.AddRange(FieldChecks.Labels(spec.Selector, path.Child("selector")));
        }

        errors.AddRange(SessionAffinity(spec, path));
        errors.AddRange(ServiceClusterIpValidation.Validate(spec, type, clusterIps, path));
        for (var i = 0; i < (spec.ExternalIPs?.Count ?? 0); i++)
        {
            var ipErrors = FormatValidation.IsValidIp(path.Child("externalIPs").Index(i), spec.ExternalIPs![i]);
            errors.AddRange(ipErrors.Count > 0 ? ipErrors : ServiceClusterIpValidation.NonSpecialIp(spec.ExternalIPs[i], path.Child("externalIPs").Index(i)));
        }

        if (!Types.Contains(type))
        {
            errors.Add(FieldError.NotSupported(path.Child("type"), type, Types));
        }

        errors.AddRange(PortUniqueness(ports, type, path.Child("ports")));
        errors.AddRange(LoadBalancerFields(service, type, path));
        errors.AddRange(TrafficPolicies(spec, type, path));
        return errors;
    }

    public static List<FieldError> ValidateUpdate(V1Service service, V1Service old)
    {
        var errors = ServiceClusterIpValidation.ValidateUpdate(service.Spec ?? new V1ServiceSpec(), old.Spec ?? new V1ServiceSpec());
        var spec = service.Spec ?? new V1ServiceSpec();
        var oldSpec = old.Spec ?? new V1ServiceSpec();
        if (Type(spec) == "LoadBalancer" && Type(oldSpec) == "LoadBalancer" && spec.LoadBalancerClass != oldSpec.LoadBalancerClass)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("spec").Child("loadBalancerClass"), (object?)spec.LoadBalancerClass ?? GoValue.Null, "may not change once set"));
        }

        if (NeedsHealthCheck(spec) && NeedsHealthCheck(oldSpec) && (spec.HealthCheckNodePort ?? 0) != 0 && spec.HealthCheckNodePort != oldSpec.HealthCheckNodePort)
        {
            errors.Add(FieldError.Forbidden(FieldPath.Root("spec").Child("healthCheckNodePort"), ValidationText.FieldImmutable));
        }

        errors.AddRange(Validate(service));
        return errors;
    }

    /// <summary>The service type (upstream defaults an empty one to ClusterIP).</summary>
    public static string Type(V1ServiceSpec spec) => string.IsNullOrEmpty(spec.Type) ? "ClusterIP" : spec.Type;

    private static bool NeedsHealthCheck(V1ServiceSpec spec) => Type(spec) == "LoadBalancer" && spec.ExternalTrafficPolicy == "Local";

    private static IEnumerable<FieldError> ExternalName(V1ServiceSpec spec, IReadOnlyList<string> clusterIps, FieldPath path)
    {
        if (clusterIps.Count > 0)
        {
            yield return FieldError.Forbidden(path.Child("clusterIPs"), "may not be set for ExternalName services");
        }

        if (spec.IpFamilies is { Count: > 0 })
        {
            yield return FieldError.Forbidden(path.Child("ipFamilies"), "may not be set for ExternalName services");
        }

        if (spec.IpFamilyPolicy is not null)
        {
            yield return FieldError.Forbidden(path.Child("ipFamilyPolicy"), "may not be set for ExternalName services");
        }

        // The name is a CNAME and may be fully qualified with a trailing dot.
        var name = spec.ExternalName ?? string.Empty;
        var cname = name.EndsWith('.') ? name[..^1] : name;
        if (cname.Length == 0)
        {
            yield return FieldError.Required(path.Child("externalName"));
            yield break;
        }

        foreach (var e in FieldChecks.Dns1123Subdomain(cname, path.Child("externalName")))
        {
            yield return e;
        }
    }

    private static IEnumerable<FieldError> Port(V1ServicePort port, bool requireName, HashSet<string> names, FieldPath path)
    {
        if (requireName && string.IsNullOrEmpty(port.Name))
        {
            yield return FieldError.Required(path.Child("name"));
        }
        else if (!string.IsNullOrEmpty(port.Name))
        {
            foreach (var e in FieldChecks.Dns1123Label(port.Name, path.Child("name")))
            {
                yield return e;
            }

            if (!names.Add(port.Name))
            {
                yield return FieldError.Duplicate(path.Child("name"), port.Name);
            }
        }

        foreach (var message in FormatValidation.IsValidPortNum(port.Port))
        {
            yield return FieldError.Invalid(path.Child("port"), port.Port, message);
        }

        if (!string.IsNullOrEmpty(port.Protocol) && !ContainerPortValidation.Protocols.Contains(port.Protocol))
        {
            yield return FieldError.NotSupported(path.Child("protocol"), port.Protocol, ContainerPortValidation.Protocols);
        }

        // targetPort defaults to port when unset, 0 or "".
        if (port.TargetPort?.Value is { Length: > 0 } target && target != "0")
        {
            foreach (var e in ContainerPortValidation.ValidateNumOrName(port.TargetPort, path.Child("targetPort")))
            {
                yield return e;
            }
        }

        if (port.AppProtocol is { } appProtocol)
        {
            foreach (var e in FieldChecks.QualifiedName(appProtocol, path.Child("appProtocol")))
            {
                yield return e;
            }
        }
    }

    private static IEnumerable<FieldError> SessionAffinity(V1ServiceSpec spec, FieldPath path)
    {
        var affinity = string.IsNullOrEmpty(spec.SessionAffinity) ? "None" : spec.SessionAffinity;
        switch (affinity)
        {
            case "ClientIP":
                // The timeout defaults to three hours.
                if (spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds is { } timeout && timeout is <= 0 or > MaxClientIpAffinitySeconds)
                {
                    yield return FieldError.Invalid(path.Child("sessionAffinityConfig", "clientIP", "timeoutSeconds"), timeout, $"must be greater than 0 and less than {MaxClientIpAffinitySeconds}");
                }

                break;
            case "None":
                if (spec.SessionAffinityConfig is not null)
                {
                    yield return FieldError.Forbidden(path.Child("sessionAffinityConfig"), "must not be set when session affinity is None");
                }

                break;
            default:
                yield return FieldError.NotSupported(path.Child("sessionAffinity"), affinity, ["ClientIP", "None"]);
                break;
        }
    }

    private static IEnumerable<FieldError> PortUniqueness(IList<V1ServicePort> ports, string type, FieldPath path)
    {
        var nodePorts = new HashSet<(string, int)>();
        var servicePorts = new HashSet<(string, int)>();
        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = ContainerPortValidation.Protocol(ports[i].Protocol);
            if (type == "ClusterIP" && ports[i].NodePort is not (null or 0))
            {
                yield return FieldError.Forbidden(path.Index(i).Child("nodePort"), "may not be used when `type` is 'ClusterIP'");
            }

            if (ports[i].NodePort is { } nodePort and not 0 && !nodePorts.Add((protocol, nodePort)))
            {
                yield return FieldError.Duplicate(path.Index(i).Child("nodePort"), nodePort);
            }
        }

        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = ContainerPortValidation.Protocol(ports[i].Protocol);
            if (!servicePorts.Add((protocol, ports[i].Port)))
            {
                yield return FieldError.Duplicate(path.Index(i), GoSyntax.ServicePortKey(protocol, ports[i].Port));
            }
        }
    }

    private static IEnumerable<FieldError> LoadBalancerFields(V1Service service, string type, FieldPath path)
    {
        var spec = service.Spec ?? new V1ServiceSpec();
        var ranges = spec.LoadBalancerSourceRanges ?? [];
        if (ranges.Count > 0)
        {
            // Upstream's capitalised field name.
            var rangesPath = path.Child("LoadBalancerSourceRanges");
            if (type != "LoadBalancer")
            {
                yield return FieldError.Forbidden(rangesPath, "may only be used when `type` is 'LoadBalancer'");
            }

            for (var i = 0; i < ranges.Count; i++)
            {
                foreach (var e in FormatValidation.IsValidCidr(rangesPath.Index(i), ranges[i].Trim()))
                {
                    yield return e;
                }
            }
        }
        else if (service.Metadata?.Annotations?.TryGetValue(SourceRangesAnnotation, out var annotation) == true)
        {
            var annotationPath = FieldPath.Root("metadata").Child("annotations").Key(SourceRangesAnnotation);
            if (type != "LoadBalancer")
            {
                yield return FieldError.Forbidden(annotationPath, "may only be used when `type` is 'LoadBalancer'");
            }

            var value = annotation.Trim();
            foreach (var cidr in value.Length == 0 ? [] : value.Split(','))
            {
                foreach (var e in FormatValidation.IsValidCidr(annotationPath, cidr.Trim()))
                {
                    yield return e;
                }
            }
        }

        if (spec.AllocateLoadBalancerNodePorts is not null && type != "LoadBalancer")
        {
            yield return FieldError.Forbidden(path.Child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'");
        }

        if (spec.LoadBalancerClass is { } loadBalancerClass)
        {
            if (type == "LoadBalancer")
            {
                foreach (var e in FieldChecks.QualifiedName(loadBalancerClass, path.Child("loadBalancerClass")))
                {
                    yield return e;
                }
            }
            else
            {
                yield return FieldError.Forbidden(path.Child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'");
            }
        }
    }

    private static IEnumerable<FieldError> TrafficPolicies(V1ServiceSpec spec, string type, FieldPath path)
    {
        var externallyAccessible = type is "LoadBalancer" or "NodePort" || (type == "ClusterIP" && spec.ExternalIPs is { Count: > 0 });
        var external = spec.ExternalTrafficPolicy;
        if (!externallyAccessible && !string.IsNullOrEmpty(external))
        {
            yield return FieldError.Invalid(path.Child("externalTrafficPolicy"), external, "may only be set for externally-accessible services");
        }
        else if (externallyAccessible && !string.IsNullOrEmpty(external) && external is not ("Cluster" or "Local"))
        {
            yield return FieldError.NotSupported(path.Child("externalTrafficPolicy"), external, ["Cluster", "Local"]);
        }

        var healthCheckNodePort = spec.HealthCheckNodePort ?? 0;
        if (!(type == "LoadBalancer" && external == "Local"))
        {
            if (healthCheckNodePort != 0)
            {
                yield return FieldError.Invalid(path.Child("healthCheckNodePort"), healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
            }
        }
        else if (healthCheckNodePort != 0)
        {
            foreach (var message in FormatValidation.IsValidPortNum(healthCheckNodePort))
            {
                yield return FieldError.Invalid(path.Child("healthCheckNodePort"), healthCheckNodePort, message);
            }
        }

        if (spec.InternalTrafficPolicy is { } internalPolicy && internalPolicy is not ("Cluster" or "Local"))
        {
            yield return FieldError.NotSupported(path.Child("internalTrafficPolicy"), internalPolicy, ["Cluster", "Local"]);
        }

        if (spec.TrafficDistribution is { } distribution && distribution != "PreferClose")
        {
            yield return FieldError.NotSupported(path.Child("trafficDistribution"), distribution, ["PreferClose"]);
        }
    }
}
