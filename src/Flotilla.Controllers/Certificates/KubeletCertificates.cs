using Flotilla.Api.Certificates;

namespace Flotilla.Controllers.Certificates;

/// <summary>
/// What a kubelet's certificate requests must look like (upstream's ValidateKubeletClientCSR and
/// ValidateKubeletServingCSR): <c>O=system:nodes</c>, <c>CN=system:node:&lt;name&gt;</c>, the signer's usages; a client
/// certificate names nothing else, a serving one names only DNS names and IP addresses, at least one. Null when it does.
/// </summary>
public static class KubeletCertificates
{
    private static readonly string[][] ClientUsages =
    [
        [CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth],
        [CertificateRequests.KeyEncipherment, CertificateRequests.DigitalSignature, CertificateRequests.ClientAuth],
    ];

    private static readonly string[][] ServingUsages =
    [
        [CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth],
        [CertificateRequests.KeyEncipherment, CertificateRequests.DigitalSignature, CertificateRequests.ServerAuth],
    ];

    private static readonly string[] ApiServerClientUsages = [CertificateRequests.DigitalSignature, CertificateRequests.KeyEncipherment, CertificateRequests.ClientAuth];

    public static string? ClientProblem(ParsedRequest request, IReadOnlyCollection<string> usages)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (NodeSubjectProblem(request) is { } problem)
        {
            return problem;
        }

        if (request.DnsNames.Count > 0)
        {
            return "dnsNames are not allowed";
        }

        if (request.IpAddresses.Count > 0)
        {
            return "ipAddresses are not allowed";
        }

        if (request.HasOtherNames)
        {
            return "emailAddresses and uris are not allowed";
        }

        return UsagesMatch(usages, ClientUsages) ? null : $"usages did not match [{string.Join(" ", ClientUsages[0])}]";
    }

    public static string? ServingProblem(ParsedRequest request, IReadOnlyCollection<string> usages)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (NodeSubjectProblem(request) is { } problem)
        {
            return problem;
        }

        if (request.HasOtherNames)
        {
            return "emailAddresses and uris are not allowed";
        }

        if (request.DnsNames.Count == 0 && request.IpAddresses.Count == 0)
        {
            return "DNS or IP subjectAltName is required";
        }

        return UsagesMatch(usages, ServingUsages) ? null : $"usages did not match [{string.Join(" ", ServingUsages[0])}]";
    }

    /// <summary>kubernetes.io/kube-apiserver-client: client usages only.</summary>
    public static string? ApiServerClientProblem(IReadOnlyCollection<string> usages)
    {
        ArgumentNullException.ThrowIfNull(usages);
        var bad = usages.FirstOrDefault(u => !ApiServerClientUsages.Contains(u));
        return bad is null ? null : $"invalid usage for client certificate: {bad}";
    }

    /// <summary>The node a kubelet certificate is for (its CN after <c>system:node:</c>).</summary>
    public static string NodeName(ParsedRequest request) => request.CommonName[CertificateRequests.NodeUserPrefix.Length..];

    private static string? NodeSubjectProblem(ParsedRequest request)
    {
        if (request.Organizations.Count != 1 || request.Organizations[0] != CertificateRequests.NodesGroup)
        {
            return "subject organization is not system:nodes";
        }

        return request.CommonName.StartsWith(CertificateRequests.NodeUserPrefix, StringComparison.Ordinal) && request.CommonName.Length > CertificateRequests.NodeUserPrefix.Length
            ? null
            : "subject common name does not begin with system:node:";
    }

    private static bool UsagesMatch(IReadOnlyCollection<string> usages, string[][] allowed) =>
        allowed.Any(set => usages.Count == set.Length && set.All(usages.Contains));
}
