using k8s.Models;

namespace Flotilla.ApiServer.Printing;

/// <summary>The NAME and AGE cells every printer starts and (nearly) ends with.</summary>
internal static class Meta
{
    public static string Name(V1ObjectMeta? metadata) => metadata?.Name ?? "";

    public static string Age(V1ObjectMeta? metadata, DateTimeOffset now) => Timestamps.Since(metadata?.CreationTimestamp, now);
}
