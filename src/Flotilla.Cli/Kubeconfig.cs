using System.Net;
using System.Security.Cryptography.X509Certificates;
using Flotilla.ApiServer.Auth;

namespace Flotilla.Cli;

/// <summary>Writes the admin kubeconfig the installed kubectl uses with no flags: the CA and the admin's client certificate embedded.</summary>
public static class Kubeconfig
{
    public static string Render(IPEndPoint server, ClusterPki pki)
    {
        ArgumentNullException.ThrowIfNull(pki);
        return $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: flotilla
          cluster:
            server: https://{Host(server)}
            certificate-authority-data: {Base64(pki.Ca.ExportCertificatePem())}
        contexts:
        - name: flotilla
          context:
            cluster: flotilla
            user: admin
        current-context: flotilla
        users:
        - name: admin
          user:
            client-certificate-data: {Base64(pki.Admin.ExportCertificatePem())}
            client-key-data: {Base64(pki.Admin.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem())}

        """;
    }

    /// <summary>Writes atomically (temp file + rename) with mode 0600: a reader never sees half a file.</summary>
    public static void Write(string path, IPEndPoint server, ClusterPki pki)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, Render(server, pki));
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
