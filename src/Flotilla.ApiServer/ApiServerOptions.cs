using System.Net;

namespace Flotilla.ApiServer;

public sealed record ApiServerOptions
{
    /// <summary>Where the API listens.</summary>
    public required IPEndPoint Listen { get; init; }

    /// <summary>More addresses served alike (<c>up</c>'s node network, which its nodes' namespaces reach).</summary>
    public IReadOnlyList<IPEndPoint> AlsoListen { get; init; } = [];

    /// <summary>HTTPS with client-certificate authentication (what <c>flotilla</c> always serves); null serves plain
    /// HTTP without authentication, for in-process tests and benchmarks only.</summary>
    public Auth.ApiServerTls? Tls { get; init; }

    /// <summary>Bearer tokens accepted beside client certificates (with <see cref="Tls"/>) and the ServiceAccount token issuer.</summary>
    public Auth.AuthenticationOptions Authentication { get; init; } = new();

    /// <summary>How kubelets are reached for logs and the node proxy.</summary>
    public Kubelets.KubeletClientOptions Kubelet { get; init; } = new(null, null);

    /// <summary>The audit log (<c>-</c> for standard output); null logs nothing.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>What the audit log records; null is Flotilla's default policy.</summary>
    public Audit.AuditPolicy? AuditPolicy { get; init; }

    /// <summary>The audit log is rotated when it would grow past this (upstream's --audit-log-maxsize, in MiB).</summary>
    public int AuditLogMaxSizeMiB { get; init; } = 100;

    /// <summary>Rotated audit logs kept (upstream's --audit-log-maxbackup; 0 keeps all).</summary>
    public int AuditLogMaxBackups { get; init; } = 3;

    /// <summary>The PodSecurity admission plugin's defaults and exemptions (upstream's: all privileged, none exempt).</summary>
    public Admission.PodSecurity.PodSecurityConfiguration PodSecurity { get; init; } = Admission.PodSecurity.PodSecurityConfiguration.Default;

    /// <summary>
    /// How long a client may take to send its request headers before the connection is closed (slow-loris
    /// protection; kube-apiserver's ReadHeaderTimeout is 32 s).
    /// </summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>
    /// Changes each resource's watch cache keeps (upstream's --default-watch-cache-size); a watch from an older
    /// resourceVersion gets 410 Expired and its client lists again.
    /// </summary>
    public int WatchCacheSize { get; init; } = 10_000;

    /// <summary>
    /// How often the built-in metrics server reads every kubelet (metrics-server's --metric-resolution, 15 s in its
    /// manifests); zero turns the reading off.
    /// </summary>
    public TimeSpan MetricResolution { get; init; } = TimeSpan.FromSeconds(15);
}
