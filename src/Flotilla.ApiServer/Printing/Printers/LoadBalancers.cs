namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>
/// <c>loadBalancerStatusStringer</c> for services and ingresses: each ingress point's IP, else its hostname,
/// deduplicated and sorted. Unclipped, as kube-apiserver prints wide.
/// </summary>
internal static class LoadBalancers
{
    public static string Format(IEnumerable<(string Ip, string Hostname)> ingress)
    {
        var points = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (ip, hostname) in ingress)
        {
            if (!string.IsNullOrEmpty(ip))
            {
                points.Add(ip);
            }
            else if (!string.IsNullOrEmpty(hostname))
            {
                points.Add(hostname);
            }
        }

        return string.Join(',', points);
    }
}
