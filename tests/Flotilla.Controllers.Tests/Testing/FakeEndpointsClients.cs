using Flotilla.Controllers.Endpoints;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Testing;

/// <summary>Records Endpoints writes; each write gets the next resourceVersion.</summary>
internal sealed class FakeEndpointsClient : IEndpointsClient
{
    private int _version = 100;

    public List<V1Endpoints> Created { get; } = [];

    public List<V1Endpoints> Updated { get; } = [];

    public List<string> Deleted { get; } = [];

    public Exception? FailWith { get; set; }

    public Task<V1Endpoints> CreateAsync(V1Endpoints endpoints, CancellationToken cancellationToken) => Write(Created, endpoints);

    public Task<V1Endpoints> UpdateAsync(V1Endpoints endpoints, CancellationToken cancellationToken) => Write(Updated, endpoints);

    public Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        Deleted.Add($"{ns}/{name}");
        return Task.CompletedTask;
    }

    private Task<V1Endpoints> Write(List<V1Endpoints> log, V1Endpoints endpoints)
    {
        if (FailWith is { } e)
        {
            throw e;
        }

        var written = Api.Serialization.DeepCopy.Of(endpoints);
        written.Metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        log.Add(written);
        return Task.FromResult(written);
    }
}

/// <summary>Records EndpointSlice writes as the API server would answer them: names generated, generations counted.</summary>
internal sealed class FakeEndpointSliceClient : IEndpointSliceClient
{
    private int _names;

    public List<V1EndpointSlice> Created { get; } = [];

    public List<V1EndpointSlice> Updated { get; } = [];

    public List<string> Deleted { get; } = [];

    public Task<V1EndpointSlice> CreateAsync(V1EndpointSlice slice, CancellationToken cancellationToken)
    {
        var written = Api.Serialization.DeepCopy.Of(slice);
        written.Metadata.Name = slice.Metadata.GenerateName + (++_names).ToString(System.Globalization.CultureInfo.InvariantCulture);
        written.Metadata.Uid = "uid-" + written.Metadata.Name;
        written.Metadata.Generation = 1;
        Created.Add(written);
        return Task.FromResult(written);
    }

    public Task<V1EndpointSlice> UpdateAsync(V1EndpointSlice slice, CancellationToken cancellationToken)
    {
        var written = Api.Serialization.DeepCopy.Of(slice);
        written.Metadata.Uid ??= "uid-" + written.Metadata.Name;
        written.Metadata.Generation = (written.Metadata.Generation ?? 0) + 1;
        Updated.Add(written);
        return Task.FromResult(written);
    }

    public Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        Deleted.Add(name);
        return Task.CompletedTask;
    }
}
