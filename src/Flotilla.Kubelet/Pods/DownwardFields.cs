using System.Globalization;
using Flotilla.Api.Serialization;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// What a <c>fieldRef</c> or <c>resourceFieldRef</c> reads, for env and downwardAPI files alike (upstream's
/// podFieldSelectorRuntimeValue, fieldpath.ExtractFieldPathAsString and ExtractContainerResourceValue). Errors carry
/// upstream's messages.
/// </summary>
public static class DownwardFields
{
    /// <param name="hostIps">The node's addresses, the first its primary.</param>
    /// <param name="podIps">The pod's addresses, the first its primary.</param>
    public static string Field(V1Pod pod, string fieldPath, IReadOnlyList<string> hostIps, IReadOnlyList<string> podIps)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(fieldPath);
        var meta = pod.Metadata;
        if (TrySubscript(fieldPath, out var map, out var key))
        {
            return map switch
            {
                "metadata.labels" => meta.Labels is { } labels && labels.TryGetValue(key, out var label) ? label : string.Empty,
                "metadata.annotations" => meta.Annotations is { } annotations && annotations.TryGetValue(key, out var annotation) ? annotation : string.Empty,
                _ => throw new InvalidOperationException($"fieldPath \"{map}\" does not support subscript"),
            };
        }

        return fieldPath switch
        {
            "metadata.name" => meta.Name ?? string.Empty,
            "metadata.namespace" => meta.NamespaceProperty ?? string.Empty,
            "metadata.uid" => meta.Uid ?? string.Empty,
            "metadata.labels" => FormatMap(meta.Labels),
            "metadata.annotations" => FormatMap(meta.Annotations),
            "spec.nodeName" or "spec.host" => pod.Spec?.NodeName ?? string.Empty,
            "spec.serviceAccountName" => pod.Spec?.ServiceAccountName ?? string.Empty,
            "status.hostIP" => hostIps.Count > 0 ? hostIps[0] : string.Empty,
            "status.hostIPs" => string.Join(',', hostIps),
            "status.podIP" => podIps.Count > 0 ? podIps[0] : string.Empty,
            "status.podIPs" => string.Join(',', podIps),
            _ => throw new InvalidOperationException($"unsupported fieldPath: {fieldPath}"),
        };
    }

    /// <summary>A container's request or limit in units of the divisor, rounded up; a missing limit is the node's allocatable.</summary>
    public static string Resource(V1Pod pod, V1ResourceFieldSelector selector, string currentContainer, V1Node? node)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(selector);
        var name = string.IsNullOrEmpty(selector.ContainerName) ? currentContainer : selector.ContainerName;
        var container = (pod.Spec.Containers ?? []).Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == name)
            ?? throw new InvalidOperationException($"container {name} not found");
        var divisor = selector.Divisor is { } d && d.ToDecimal() != 0 ? d.ToDecimal() : 1m;
        var parts = selector.Resource.Split('.', 2);
        if (parts.Length != 2 || parts[0] is not ("limits" or "requests"))
        {
            throw new InvalidOperationException($"unsupported container resource : {selector.Resource}");
        }

        var resource = parts[1];
        var values = parts[0] == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        decimal value;
        if (values is not null && values.TryGetValue(resource, out var quantity) && quantity.ToDecimal() != 0)
        {
            value = quantity.ToDecimal();
        }
        else if (parts[0] == "limits" && resource is "cpu" or "memory" or "ephemeral-storage")
        {
            value = node?.Status?.Allocatable is { } allocatable && allocatable.TryGetValue(resource, out var most)
                ? most.ToDecimal()
                : throw new InvalidOperationException("failed to find node object, expected a node");
        }
        else if (resource is "cpu" or "memory" or "ephemeral-storage" || resource.StartsWith("hugepages-", StringComparison.Ordinal))
        {
            value = 0;
        }
        else
        {
            throw new InvalidOperationException($"unsupported container resource : {selector.Resource}");
        }

        // CPU in millicores against the divisor's millicores, the rest in units: both round up.
        var result = resource == "cpu" ? Math.Ceiling(Math.Ceiling(value * 1000) / Math.Ceiling(divisor * 1000)) : Math.Ceiling(Math.Ceiling(value) / Math.Ceiling(divisor));
        return result.ToString("0", CultureInfo.InvariantCulture);
    }

    /// <summary>Labels or annotations as a downwardAPI file holds them: <c>key="value"</c> lines sorted by key, Go-quoted, no final newline.</summary>
    public static string FormatMap(IDictionary<string, string>? map) =>
        map is null ? string.Empty : string.Join('\n', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={GoQuote.Quote(p.Value)}"));

    private static bool TrySubscript(string path, out string map, out string key)
    {
        var open = path.IndexOf("['", StringComparison.Ordinal);
        if (open > 0 && path.EndsWith("']", StringComparison.Ordinal))
        {
            (map, key) = (path[..open], path[(open + 2)..^2]);
            return true;
        }

        (map, key) = (path, string.Empty);
        return false;
    }
}
