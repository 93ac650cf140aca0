namespace Flotilla.Kubelet.Runtime.Hollow;

/// <summary>
/// The simulated runtime (kubemark's hollow node, KWOK): no processes, no images on disk, only plausible answers, so
/// one machine can host thousands of nodes for scale tests. Nodes running it are labelled
/// <c>flotilla.dev/runtime: hollow</c> and say so in their runtime version.
/// </summary>
public sealed class HollowRuntime : IContainerRuntime
{
    public const string Name = "hollow";
    public const string Version = "0.1.0";

    private static readonly RuntimeVersion RuntimeVersion = new(Name, Version);
    private static readonly RuntimeStatus Ready = new(true, true);

    public Task<RuntimeVersion> VersionAsync(CancellationToken cancellationToken) => Task.FromResult(RuntimeVersion);

    public Task<RuntimeStatus> StatusAsync(CancellationToken cancellationToken) => Task.FromResult(Ready);

    public Task<IReadOnlyList<RuntimeImage>> ListImagesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<RuntimeImage>>([]);
}
