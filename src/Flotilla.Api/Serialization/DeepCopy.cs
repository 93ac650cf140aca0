using System.Text.Json;

namespace Flotilla.Api.Serialization;

/// <summary>
/// A deep copy of an API model through its JSON form. KubernetesClient's models are mutable with shallow equality:
/// anything that came from a cache is copied before it is changed.
/// </summary>
public static class DeepCopy
{
    public static T Of<T>(T obj)
        where T : class =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(obj, KubernetesJsonOptions.Value), KubernetesJsonOptions.Value)
            ?? throw new InvalidOperationException($"a {typeof(T).Name} did not survive a JSON round trip");
}
