using Flotilla.Api.Certificates;
using k8s.Models;

namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>certificatesigningrequests: NAME AGE SIGNERNAME REQUESTOR REQUESTEDDURATION CONDITION (Approved/Denied/Failed, Issued, or Pending).</summary>
public sealed class CertificateSigningRequestPrinter : TablePrinter<V1CertificateSigningRequest>
{
    public override IReadOnlyList<TableColumn> Columns { get; } =
    [
        CommonColumns.Name,
        CommonColumns.Age,
        TableColumn.String("SignerName", "Name of the signer"),
        TableColumn.String("Requestor", "Name of the user who created the request"),
        TableColumn.String("RequestedDuration", "Requested duration of the issued certificate"),
        TableColumn.String("Condition", "State of the request (Approved, Denied, Failed, Issued or Pending)"),
    ];

    protected override IReadOnlyList<object?> Row(V1CertificateSigningRequest model, DateTimeOffset now)
    {
        var duration = model.Spec?.ExpirationSeconds is { } seconds ? HumanDuration.Format(TimeSpan.FromSeconds(seconds)) : "<none>";
        return [Meta.Name(model.Metadata), Meta.Age(model.Metadata, now), model.Spec?.SignerName ?? "", model.Spec?.Username ?? "", duration, Condition(model)];
    }

    /// <summary>Upstream's extractCSRStatus: Denied, else Approved, else Pending; then ",Failed" and ",Issued".</summary>
    private static string Condition(V1CertificateSigningRequest csr)
    {
        var types = (csr.Status?.Conditions ?? []).Select(c => c.Type).ToHashSet(StringComparer.Ordinal);
        var status = types.Contains(CertificateRequests.Denied) ? "Denied" : types.Contains(CertificateRequests.Approved) ? "Approved" : "Pending";
        if (types.Contains(CertificateRequests.Failed))
        {
            status += ",Failed";
        }

        return csr.Status?.Certificate is { Length: > 0 } ? status + ",Issued" : status;
    }
}
