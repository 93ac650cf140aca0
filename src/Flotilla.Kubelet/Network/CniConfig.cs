using System.Text.Json.Nodes;

namespace Flotilla.Kubelet.Network;

/// <summary>
/// The node's CNI network (notes/containerd.md): a <c>bridge</c> of its own name as the pods' gateway (hairpin, so a
/// pod reaches itself through a service), <c>host-local</c> addresses from the node's podCIDR kept in a directory of
/// its own, and <c>portmap</c> for <c>hostPort</c>. containerd adds the loopback itself. Written when the podCIDR
/// is known; containerd loads it from its CNI config dir.
/// </summary>
/// <param name="Mtu">The pods' and the bridge's MTU, when not the link's 1500 (<see cref="VxlanDevice.Mtu"/> over VXLAN).</param>
public sealed record CniConfig(string Bridge, string PodCidr, string IpamDir, int? Mtu = null)
{
    public const string FileName = "10-flotilla.conflist";
    public const string NetworkName = "flotilla";

    public string ToJson()
    {
        var bridge = new JsonObject
        {
            ["type"] = "bridge",
            ["bridge"] = Bridge,
            ["isGateway"] = true,
            ["hairpinMode"] = true,
            ["ipam"] = new JsonObject
            {
                ["type"] = "host-local",
                ["ranges"] = new JsonArray { new JsonArray { new JsonObject { ["subnet"] = PodCidr } } },
                ["routes"] = new JsonArray { new JsonObject { ["dst"] = "0.0.0.0/0" } },
                ["dataDir"] = IpamDir,
            },
        };
        if (Mtu is { } mtu)
        {
            bridge["mtu"] = mtu;
        }

        return new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = NetworkName,
            ["plugins"] = new JsonArray
            {
                bridge,
                new JsonObject
                {
                    ["type"] = "portmap",
                    ["capabilities"] = new JsonObject { ["portMappings"] = true },
                },
            },
        }.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Writes the conflist into <paramref name="confDir"/> (atomically: containerd watches the dir).</summary>
    public void Write(string confDir)
    {
        Directory.CreateDirectory(confDir);
        Directory.CreateDirectory(IpamDir);
        var path = Path.Combine(confDir, FileName);
        var temp = path + ".tmp";
        File.WriteAllText(temp, ToJson());
        File.Move(temp, path, overwrite: true);
    }
}
