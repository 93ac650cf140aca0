namespace Flotilla.Kubelet.Runtime.Cri;

/// <summary>Where one node's CRI runtime lives and keeps its pods' files.</summary>
/// <param name="Socket">containerd's CRI socket.</param>
/// <param name="PodsDir">Per pod <c>&lt;ns&gt;_&lt;name&gt;_&lt;uid&gt;/</c>: its containers' logs (<c>&lt;container&gt;/&lt;restart&gt;.log</c>) and termination messages.</param>
/// <param name="CniConfDir">The directory containerd loads the CNI network from.</param>
/// <param name="Bridge">The node's pod bridge (its own name, so several nodes share a machine).</param>
/// <param name="IpamDir">Where host-local keeps the node's address leases.</param>
/// <param name="ClusterCidr">The whole pods' network (all nodes' subnets): traffic to anywhere else is masqueraded; none when null.</param>
/// <param name="Mtu">The pods' MTU when not 1500 (under VXLAN).</param>
public sealed record CriRuntimeOptions(string Socket, string PodsDir, string CniConfDir, string Bridge, string IpamDir, string? ClusterCidr = null, int? Mtu = null);
