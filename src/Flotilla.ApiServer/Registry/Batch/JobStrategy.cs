using Flotilla.Api.Resources;
using Flotilla.ApiServer.Registry.Validation.Batch;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Batch;

/// <summary>Jobs: a selector generated from the job's uid unless <c>manualSelector</c> (upstream's job strategy).</summary>
public sealed class JobStrategy(ResourceInfo resource) : ObjectStrategy<V1Job>(resource, tracksGeneration: true)
{
    protected override void PrepareForCreate(V1Job obj) => JobSelectors.Generate(obj);
}
