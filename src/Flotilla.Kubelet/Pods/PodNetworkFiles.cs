using System.Text;
using Flotilla.Kubelet.Runtime;
using k8s.Models;

namespace Flotilla.Kubelet.Pods;

/// <summary>
/// The pod's resolv.conf and /etc/hosts as upstream's kubelet makes them (network/dns GetPodDNS,
/// managedHostsFileContent). Without a cluster DNS address configured, ClusterFirst falls back to the node's own
/// resolv.conf with a <c>MissingClusterDNS</c> warning, as upstream's kubelet does.
/// </summary>
public static class PodNetworkFiles
{
    public const string MissingClusterDns = "kubelet does not have ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to \"Default\" policy.";

    /// <param name="clusterDns">The cluster DNS addresses (<c>--cluster-dns</c>); none: ClusterFirst falls back.</param>
    /// <param name="hostResolvConf">The node's resolv.conf text.</param>
    /// <param name="missingClusterDns">Whether the pod asked for cluster DNS and the node has none (the caller's events).</param>
    public static PodDns Dns(V1Pod pod, IReadOnlyList<string> clusterDns, string clusterDomain, string hostResolvConf, out bool missingClusterDns)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(clusterDns);
        missingClusterDns = false;
        var policy = pod.Spec.DnsPolicy ?? "ClusterFirst";
        var (hostServers, hostSearches, hostOptions) = ParseResolvConf(hostResolvConf);
        List<string> servers, searches, options;
        var cluster = policy == "ClusterFirstWithHostNet" || (policy == "ClusterFirst" && pod.Spec.HostNetwork != true);
        if (policy == "None")
        {
            (servers, searches, options) = ([], [], []);
        }
        else if (cluster && clusterDns.Count > 0)
        {
            servers = [.. clusterDns];
            searches = [$"{pod.Metadata.NamespaceProperty}.svc.{clusterDomain}", $"svc.{clusterDomain}", clusterDomain, .. hostSearches];
            options = ["ndots:5"];
        }
        else
        {
            missingClusterDns = cluster;
            (servers, searches, options) = (hostServers, hostSearches, hostOptions);
        }

        if (pod.Spec.DnsConfig is { } extra)
        {
            servers.AddRange(extra.Nameservers ?? []);
            searches.AddRange(extra.Searches ?? []);
            foreach (var option in extra.Options ?? [])
            {
                options.RemoveAll(o => o.Split(':')[0] == option.Name);
                options.Add(option.Value is null ? option.Name : $"{option.Name}:{option.Value}");
            }
        }

        return new PodDns([.. servers.Distinct(StringComparer.Ordinal).Take(3)], [.. searches.Distinct(StringComparer.Ordinal).Take(32)], options);
    }

    /// <summary>The hosts file: localhost and the pod's own names, or the node's for host-network pods, then <c>hostAliases</c>.</summary>
    public static string Hosts(V1Pod pod, IReadOnlyList<string> podIps, string clusterDomain, string nodeHosts)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(podIps);
        var text = new StringBuilder();
        if (pod.Spec.HostNetwork == true)
        {
            text.Append("# Kubernetes-managed hosts file (host network).\n").Append(nodeHosts);
        }
        else
        {
            text.Append("# Kubernetes-managed hosts file.\n")
                .Append("127.0.0.1\tlocalhost\n")
                .Append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                .Append("fe00::0\tip6-localnet\n")
                .Append("fe00::0\tip6-mcastprefix\n")
                .Append("fe00::1\tip6-allnodes\n")
                .Append("fe00::2\tip6-allrouters\n");
            var hostname = Hostname(pod);
            var domain = string.IsNullOrEmpty(pod.Spec.Subdomain) ? null : $"{pod.Spec.Subdomain}.{pod.Metadata.NamespaceProperty}.svc.{clusterDomain}";
            foreach (var ip in podIps)
            {
                text.Append(domain is null ? $"{ip}\t{hostname}\n" : $"{ip}\t{hostname}.{domain}\t{hostname}\n");
            }
        }

        if (pod.Spec.HostAliases is { Count: > 0 } aliases)
        {
            text.Append("\n# Entries added by HostAliases.\n");
            foreach (var alias in aliases)
            {
                text.Append($"{alias.Ip}\t{string.Join('\t', alias.Hostnames ?? [])}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The pod's hostname: <c>spec.hostname</c>, else its name, at most 63 characters without a trailing '-' or '.'.</summary>
    public static string Hostname(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var name = string.IsNullOrEmpty(pod.Spec.Hostname) ? pod.Metadata.Name : pod.Spec.Hostname;
        return name.Length > 63 ? name[..63].TrimEnd('-', '.') : name;
    }

    private static (List<string> Servers, List<string> Searches, List<string> Options) ParseResolvConf(string text)
    {
        var servers = new List<string>();
        var searches = new List<string>();
        var options = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split('#', ';')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2)
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver":
                    servers.Add(fields[1]);
                    break;
                case "search":
                    searches = [.. fields.Skip(1).Where(s => s != ".").Select(s => s.TrimEnd('.'))];
                    break;
                case "options":
                    options = [.. fields.Skip(1)];
                    break;
            }
        }

        return (servers, searches, options);
    }
}
