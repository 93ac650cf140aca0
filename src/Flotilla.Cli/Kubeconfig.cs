using System.Net;

namespace Flotilla.Cli;

/// <summary>Writes the admin kubeconfig the installed kubectl uses with no flags.</summary>
public static class Kubeconfig
{
    public static string Render(IPEndPoint server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: flotilla
          cluster:
            server: http://{Host(server)}
        contexts:
        - name: flotilla
          context:
            cluster: flotilla
            user: admin
        current-context: flotilla
        users:
        - name: admin
          user: {"{}"}

        """;

    /// <summary>Writes atomically (temp file + rename) with mode 0600: a reader never sees half a file.</summary>
    public static void Write(string path, IPEndPoint server)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, Render(server));
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }

    private static string Host(IPEndPoint endpoint) =>
        endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{endpoint.Port}"
            : $"{endpoint.Address}:{endpoint.Port}";
}
