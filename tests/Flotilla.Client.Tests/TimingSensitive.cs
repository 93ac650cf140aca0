namespace Flotilla.Client.Tests;

/// <summary>Tests whose deadlines must not compete with other tests of this assembly for the two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitive
{
    public const string Name = "timing-sensitive";
}
