namespace Flotilla.Kubelet.Bootstrap;

/// <summary>Joining cannot go on: a bad token, a server whose CA is not the token's, a refused or denied request.</summary>
public sealed class BootstrapException(string message) : Exception(message);
