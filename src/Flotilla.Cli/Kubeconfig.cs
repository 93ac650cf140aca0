using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.ApiServer.Auth;

namespace Flotilla.Cli;

/// <summary>Writes the admin kubeconfig the installed kubectl uses with no flags: the CA and the admin's client certificate embedded.</summary>
public static class Kubeconfig
{
    /// <param name="servers">An HA control plane's servers: each also gets a context of its own, <c>flotilla-server-i</c>
    /// (kubectl talks to one server per context; <c>--context</c> picks another when one is down).</param>
    public static string Render(IPEndPoint server, ClusterPki pki, IReadOnlyList<IPEndPoint>? servers = null)
    {
        ArgumentNullException.ThrowIfNull(pki);
        var ca = Base64(pki.Ca.ExportCertificatePem());
        var clusters = new List<(string Name, IPEndPoint Server)> { ("flotilla", server) };
        clusters.AddRange((servers ?? []).Select((s, i) => ($"flotilla-server-{i + 1}", s)));
        var text = new System.Text.StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        foreach (var (name, address) in clusters)
        {
            // A wildcard listen address (0.0.0.0) is reached on loopback, which the certificate names.
            text.Append($"- name: {name}\n  cluster:\n    server: {LocalUri(address).GetLeftPart(UriPartial.Authority)}\n    certificate-authority-data: {ca}\n");
        }

        text.Append("contexts:\n");
        foreach (var (name, _) in clusters)
        {
            text.Append($"- name: {name}\n  context:\n    cluster: {name}\n    user: admin\n");
        }

        return text.Append($"""
            current-context: flotilla
            users:
            - name: admin
              user:
                client-certificate-data: {Base64(pki.Admin.ExportCertificatePem())}
                client-key-data: {Base64(pki.Admin.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem())}

            """).ToString();
    }

    /// <summary>Writes atomically (temp file + rename) with mode 0600: a reader never sees half a file.</summary>
    public static void Write(string path, IPEndPoint server, ClusterPki pki, IReadOnlyList<IPEndPoint>? servers = null)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, Render(server, pki, servers));
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }

    private static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));

    /// <summary>How components in this process reach the API: a wildcard listen address is reached on loopback.</summary>
    public static Uri LocalUri(IPEndPoint server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var address = server.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : server.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : server.Address;
        return new Uri($"https://{Host(new IPEndPoint(address, server.Port))}");
    }

    private static string Host(IPEndPoint endpoint) =>
        endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port}"
            : $"{endpoint.Address}:{endpoint.Port}";
}
