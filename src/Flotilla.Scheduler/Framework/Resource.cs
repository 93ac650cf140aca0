using Flotilla.Api.Resources;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.Scheduler.Framework;

/// <summary>
/// Compute resources in the scheduler's units (upstream framework.Resource): CPU in millicores, memory and storage
/// in bytes, the pod count, and extended resources (e.g. <c>nvidia.com/gpu</c>) by name.
/// </summary>
public sealed class Resource
{
    /// <summary>What the scheduler assumes for a container without a CPU or memory request when it scores (upstream's non-zero defaults).</summary>
    public static IReadOnlyDictionary<string, decimal> NonZeroDefaults { get; } = new Dictionary<string, decimal>
    {
        [ResourceNames.Cpu] = 0.1m,
        [ResourceNames.Memory] = 200m * 1024 * 1024,
    };

    public long MilliCpu { get; set; }

    public long Memory { get; set; }

    public long EphemeralStorage { get; set; }

    public long AllowedPodNumber { get; set; }

    public Dictionary<string, long> Scalar { get; } = new(StringComparer.Ordinal);

    /// <summary>A node's allocatable (or capacity) list.</summary>
    public static Resource FromList(IDictionary<string, ResourceQuantity>? list)
    {
        var r = new Resource();
        foreach (var (name, quantity) in list ?? new Dictionary<string, ResourceQuantity>())
        {
            r.Add(name, quantity.ToDecimal());
        }

        return r;
    }

    /// <summary>A pod's requests (with <paramref name="nonZero"/>, missing CPU and memory requests count as the defaults).</summary>
    public static Resource Requests(V1Pod pod, bool nonZero = false)
    {
        var r = new Resource();
        foreach (var (name, value) in PodResources.Requests(pod, nonZero ? NonZeroDefaults : null))
        {
            r.Add(name, value);
        }

        return r;
    }

    public void Add(string name, decimal value)
    {
        switch (name)
        {
            case ResourceNames.Cpu:
                MilliCpu += (long)decimal.Ceiling(value * 1000m);
                break;
            case ResourceNames.Memory:
                Memory += (long)decimal.Ceiling(value);
                break;
            case ResourceNames.EphemeralStorage:
                EphemeralStorage += (long)decimal.Ceiling(value);
                break;
            case ResourceNames.Pods:
                AllowedPodNumber += (long)value;
                break;
            default:
                if (IsScalar(name))
                {
                    Scalar[name] = Scalar.GetValueOrDefault(name) + (long)decimal.Ceiling(value);
                }

                break;
        }
    }

    public void Add(Resource other, long sign = 1)
    {
        MilliCpu += sign * other.MilliCpu;
        Memory += sign * other.Memory;
        EphemeralStorage += sign * other.EphemeralStorage;
        AllowedPodNumber += sign * other.AllowedPodNumber;
        foreach (var (name, value) in other.Scalar)
        {
            Scalar[name] = Scalar.GetValueOrDefault(name) + (sign * value);
        }
    }

    public long Get(string name) => name switch
    {
        ResourceNames.Cpu => MilliCpu,
        ResourceNames.Memory => Memory,
        ResourceNames.EphemeralStorage => EphemeralStorage,
        ResourceNames.Pods => AllowedPodNumber,
        _ => Scalar.GetValueOrDefault(name),
    };

    public Resource Clone()
    {
        var copy = new Resource { MilliCpu = MilliCpu, Memory = Memory, EphemeralStorage = EphemeralStorage, AllowedPodNumber = AllowedPodNumber };
        foreach (var (name, value) in Scalar)
        {
            copy.Scalar[name] = value;
        }

        return copy;
    }

    /// <summary>
    /// Upstream IsScalarResourceName: extended resources (domain-prefixed names, e.g. <c>nvidia.com/gpu</c>),
    /// prefixed native ones (<c>*kubernetes.io/*</c>), hugepages and attachable volumes.
    /// </summary>
    public static bool IsScalar(string name) =>
        name.StartsWith("hugepages-", StringComparison.Ordinal)
        || name.StartsWith("attachable-volumes-", StringComparison.Ordinal)
        || name.Contains("kubernetes.io/", StringComparison.Ordinal)
        || (name.Contains('/', StringComparison.Ordinal) && !name.StartsWith("requests.", StringComparison.Ordinal)
            && NameValidation.IsQualifiedName("requests." + name).Count == 0);
}
