using Prometheus;

namespace Flotilla.ApiServer.Audit;

/// <summary>kube-apiserver's audit metrics.</summary>
public static class AuditMetrics
{
    public static readonly Counter Events = Metrics.CreateCounter("apiserver_audit_event_total", "Counter of audit events generated and sent to the audit backend.");

    public static readonly Counter.Child Errors = Metrics.CreateCounter("apiserver_audit_error_total", "Counter of audit events that failed to be audited properly.", "plugin").WithLabels("log");
}
