namespace Flotilla.E2E.Tests;

/// <summary>
/// The test classes that run <c>up</c>'s real node: one at a time, since each node of the host's network namespace
/// is named after the host and owns the bridge <c>flotilla0</c> and its nat chain (nodes in namespaces of their own are #11).
/// </summary>
[CollectionDefinition(Name)]
public sealed class RealNodes
{
    public const string Name = "real nodes";
}
