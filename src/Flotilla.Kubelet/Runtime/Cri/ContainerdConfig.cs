using System.Globalization;
using System.Text;

namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>
/// One node's containerd: its own root, state, socket, CNI config dir and registry hosts dir under
/// <see cref="Dir"/>, so several nodes (and tests) share a machine (notes/containerd.md). <see cref="Write"/> writes
/// the config that works here: <c>restrict_oom_score_adj</c> (no CAP_SYS_RESOURCE in this VM), the network
/// namespaces under the state dir, cgroupfs, the offline pause image.
/// </summary>
public sealed record ContainerdConfig(string Dir, string PauseImage)
{
    public const string DefaultPauseImage = "registry.k8s.io/pause:3.10";

    /// <summary>Where Debian's containernetworking-plugins puts the CNI binaries.</summary>
    public string CniBinDir { get; init; } = "/usr/lib/cni";

    public string ConfigPath => Path.Combine(Dir, "config.toml");

    public string Socket => Path.Combine(Dir, "containerd.sock");

    public string CniConfDir => Path.Combine(Dir, "cni-conf");

    public string LogPath => Path.Combine(Dir, "containerd.log");

    /// <summary>Writes the config file (and the dirs it names) and returns its path.</summary>
    public string Write()
    {
        Directory.CreateDirectory(Dir);
        Directory.CreateDirectory(CniConfDir);
        Directory.CreateDirectory(Path.Combine(Dir, "certs.d"));
        var toml = new StringBuilder()
            .AppendLine("version = 2")
            .AppendLine(Line("root", Path.Combine(Dir, "root")))
            .AppendLine(Line("state", Path.Combine(Dir, "state")))
            .AppendLine("[grpc]")
            .AppendLine(Line("  address", Socket))
            .AppendLine("[plugins.\"io.containerd.grpc.v1.cri\"]")
            .AppendLine("  netns_mounts_under_state_dir = true")
            .AppendLine("  restrict_oom_score_adj = true")
            .AppendLine(Line("  sandbox_image", PauseImage))
            .AppendLine("  stream_server_address = \"127.0.0.1\"")
            .AppendLine("  stream_server_port = \"0\"")
            .AppendLine("[plugins.\"io.containerd.grpc.v1.cri\".cni]")
            .AppendLine(Line("  bin_dir", CniBinDir))
            .AppendLine(Line("  conf_dir", CniConfDir))
            .AppendLine("  max_conf_num = 1")
            .AppendLine("[plugins.\"io.containerd.grpc.v1.cri\".registry]")
            .AppendLine(Line("  config_path", Path.Combine(Dir, "certs.d")))
            .AppendLine("[plugins.\"io.containerd.internal.v1.opt\"]")
            .AppendLine(Line("  path", Path.Combine(Dir, "opt")))
            .ToString();
        File.WriteAllText(ConfigPath, toml);
        return ConfigPath;
    }

    private static string Line(string key, string value) =>
        string.Create(CultureInfo.InvariantCulture, $"{key} = \"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
}
