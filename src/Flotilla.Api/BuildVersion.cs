using System.Reflection;
using System.Runtime.InteropServices;

namespace Flotilla.Api;

/// <summary>
/// The Kubernetes level Flotilla implements (1.32) and this build's version, as the API server's <c>/version</c>
/// and each Node's <c>kubeletVersion</c> report them.
/// </summary>
public static class BuildVersion
{
    public const string KubernetesMajor = "1";
    public const string KubernetesMinor = "32";

    /// <summary><c>v1.32.0-flotilla.&lt;build&gt;</c>: Kubernetes' form, with Flotilla's own version as the pre-release.</summary>
    public static string GitVersion { get; } =
        $"v{KubernetesMajor}.{KubernetesMinor}.0-flotilla.{(typeof(BuildVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0]}";

    /// <summary>Go's name for this machine's architecture (<c>amd64</c>, <c>arm64</c>).</summary>
    public static string Architecture { get; } = RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };
}
