namespace Flotilla.E2E.Tests;

/// <summary>
/// The test classes that run <c>up</c>'s real nodes: one at a time, since a node of the host's network namespace is
/// named after the host and owns the bridge <c>flotilla0</c> and its nat chain, nodes in namespaces have fixed names
/// (<c>flotilla-node-i</c>, the bridge <c>flotilla-br</c>), and a lone server's DNS wants 10.43.0.10:53 on the host's lo.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealNodes
{
    public const string Name = "real nodes";
}
