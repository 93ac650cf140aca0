using System.Net;
using Flotilla.Client;

namespace Flotilla.Kubelet.Server;

/// <summary>Where one node's kubelet API listens (port 0: any free port) and the certificate it serves.</summary>
public sealed record KubeletListen(string NodeName, IPEndPoint Address, RotatingCertificate Certificate);
