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

    /// <summary>Upstream's extractCSRStatus.</summary>
    private static string Condition(V1CertificateSigningRequest csr)
    {
        var states = new List<string>();
        foreach (var c in csr.Status?.Conditions ?? [])
        {
            if (c.Type is CertificateRequests.Approved or CertificateRequests.Denied or CertificateRequests.Failed)
            {
                states.Add(c.Type);
            }
        }

        if (csr.Status?.Certificate is { Length: > 0 })
        {
            states.Add("Issued");
        }

        return states.Count == 0 ? "Pending" : string.Join(",", states);
    }
}
