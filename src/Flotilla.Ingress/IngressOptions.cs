using System.Net;

namespace Flotilla.Ingress;

/// <summary>Where the ingress controller listens and which Ingresses are its own.</summary>
public sealed record IngressOptions
{
    /// <summary>The IngressClass it serves (made at start, the cluster's default, as k3s makes Traefik's).</summary>
    public const string ClassName = "flotilla";

    public const string ControllerName = "flotilla.dev/ingress-controller";

    public required IPEndPoint Http { get; init; }

    public required IPEndPoint Https { get; init; }

    /// <summary>How long a connection to a backend may take to open before the answer is 502.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
