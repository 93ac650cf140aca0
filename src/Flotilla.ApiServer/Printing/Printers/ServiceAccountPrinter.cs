using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>serviceaccounts: NAME SECRETS AGE.</summary>
public sealed class ServiceAccountPrinter : TablePrinter<V1ServiceAccount>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        TableColumn.String("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret"),
        CommonColumns.Age,
    ];

    protected override IReadOnlyList<object?> Row(V1ServiceAccount model, DateTimeOffset now) =>
        [Meta.Name(model.Metadata), (long)(model.Secrets?.Count ?? 0), Meta.Age(model.Metadata, now)];
}
