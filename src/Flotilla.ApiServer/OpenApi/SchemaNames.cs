using System.Text.RegularExpressions;

namespace Flotilla.ApiServer.OpenApi;

/// <summary>
/// Upstream's OpenAPI definition name of a <c>k8s.Models</c> type: <c>V1PodSpec</c> is
/// <c>io.k8s.api.core.v1.PodSpec</c>, <c>V1ObjectMeta</c> is <c>io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta</c>.
/// KubernetesClient named its classes version + kind (group-prefixed where two groups share a name, as
/// <c>Corev1Event</c>), so the group is recovered from <see cref="UpstreamPackages"/>.
/// </summary>
internal static partial class SchemaNames
{
    public const string Time = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
    public const string MicroTime = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
    public const string Quantity = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    public const string IntOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    public const string RawExtension = "io.k8s.apimachinery.pkg.runtime.RawExtension";
    public const string FieldsV1 = "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1";
    public const string Patch = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

    public static string For(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (GroupPrefixed().Match(type.Name) is { Success: true } prefixed)
        {
            return $"io.k8s.api.{prefixed.Groups["group"].Value.ToLowerInvariant()}.{prefixed.Groups["version"].Value}.{prefixed.Groups["name"].Value}";
        }

        if (Versioned().Match(type.Name) is { Success: true } versioned)
        {
            var version = "v" + versioned.Groups["version"].Value;
            var name = versioned.Groups["name"].Value;
            return $"{UpstreamPackages.Of(version, name)}.{version}.{name}";
        }

        throw new ArgumentException($"{type.Name} is not a k8s.Models type named after an upstream definition", nameof(type));
    }

    [GeneratedRegex("^(?<group>[A-Z][a-z]+)(?<version>v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<name>[A-Z][A-Za-z0-9]*)$")]
    private static partial Regex GroupPrefixed();

    [GeneratedRegex("^V(?<version>[0-9]+(?:alpha[0-9]+|beta[0-9]+)?)(?<name>[A-Z][A-Za-z0-9]*)$")]
    private static partial Regex Versioned();
}
