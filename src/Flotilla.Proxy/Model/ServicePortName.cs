namespace Flotilla.Proxy.Model;

/// <summary>One port of one Service, as upstream's proxy names it in chains and comments: <c>ns/name:port</c> (<c>ns/name</c> when the port has no name).</summary>
public sealed record ServicePortName(string Namespace, string Name, string Port)
{
    public override string ToString() => Port.Length == 0 ? $"{Namespace}/{Name}" : $"{Namespace}/{Name}:{Port}";
}
