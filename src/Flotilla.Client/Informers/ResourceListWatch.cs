using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Flotilla.Api.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Client.Informers;

/// <summary>
/// List and watch of one resource over the API (JSON over HTTP through the typed client's connection and
/// credentials). Watches ask for bookmarks and end after a server-side timeout of 5 to 10 minutes, as client-go's
/// reflector asks, so connections are renewed. Objects come without <c>managedFields</c>.
/// </summary>
public sealed class ResourceListWatch<T>(IKubernetes client, InformerOptions options) : IListWatch<T>
    where T : class
{
    private static readonly JsonSerializerOptions Json = KubernetesJsonOptions.Value;

    private readonly string _path = ResourcePath.Collection<T>(options);

    /// <summary>The server-side watch timeout; tests shorten it to renew watches often.</summary>
    public Func<TimeSpan> WatchTimeout { get; init; } = () => TimeSpan.FromSeconds(Random.Shared.Next(300, 600));

    public async Task<ListResult<T>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(Query(watch: false, resourceVersion: null), cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var list = await JsonSerializer.DeserializeAsync<ListBody>(body, Json, cancellationToken)
            ?? throw new InvalidDataException($"empty list from {_path}");
        var items = list.Items ?? [];
        items.ForEach(StripManagedFields);
        return new ListResult<T>(items, list.Metadata?.ResourceVersion ?? string.Empty);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(string resourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(Query(watch: true, resourceVersion), cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var reader = PipeReader.Create(body);
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (!line.IsEmpty)
                    {
                        yield return Parse(line);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private string Query(bool watch, string? resourceVersion)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(options.LabelSelector))
        {
            query.Add("labelSelector=" + Uri.EscapeDataString(options.LabelSelector));
        }

        if (!string.IsNullOrEmpty(options.FieldSelector))
        {
            query.Add("fieldSelector=" + Uri.EscapeDataString(options.FieldSelector));
        }

        if (watch)
        {
            query.Add("watch=true");
            query.Add("allowWatchBookmarks=true");
            query.Add("resourceVersion=" + Uri.EscapeDataString(resourceVersion ?? string.Empty));
            query.Add("timeoutSeconds=" + (int)Math.Max(1, WatchTimeout().TotalSeconds));
        }

        return query.Count == 0 ? _path : _path + "?" + string.Join('&', query);
    }

    private Task<HttpResponseMessage> SendAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        RawApi.SendAsync(client, HttpMethod.Get, pathAndQuery, null, cancellationToken);

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }

    private static WatchEvent<T> Parse(ReadOnlySequence<byte> line)
    {
        if (PeekType(line) == WatchEventType.Error)
        {
            var error = Deserialize<WatchLine<V1Status>>(line);
            return new WatchEvent<T>(WatchEventType.Error, null, error.Object);
        }

        var parsed = Deserialize<WatchLine<T>>(line);
        var obj = parsed.Object ?? throw new InvalidDataException("watch event without an object");
        StripManagedFields(obj);
        return new WatchEvent<T>(parsed.Type, obj);
    }

    /// <summary>
    /// Caches keep objects without <c>managedFields</c> (client-go's TransformStripManagedFields, which the
    /// scheduler and controller manager set): no component reads them, and they are a large part of every object.
    /// </summary>
    private static void StripManagedFields(T obj)
    {
        if (obj is IMetadata<V1ObjectMeta> { Metadata: { } meta })
        {
            meta.ManagedFields = null;
        }
    }

    private static TValue Deserialize<TValue>(ReadOnlySequence<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        return JsonSerializer.Deserialize<TValue>(ref reader, Json) ?? throw new InvalidDataException("empty watch event");
    }

    /// <summary>The top-level <c>type</c>, read without decoding the object.</summary>
    private static WatchEventType? PeekType(ReadOnlySequence<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                return reader.ValueTextEquals("ERROR"u8) ? WatchEventType.Error : null;
            }

            reader.Read();
            reader.Skip();
        }

        return null;
    }

    private sealed class ListBody
    {
        [JsonPropertyName("metadata")]
        public V1ListMeta? Metadata { get; set; }

        [JsonPropertyName("items")]
        public List<T>? Items { get; set; }
    }

    private sealed class WatchLine<TObject>
    {
        [JsonPropertyName("type")]
        public WatchEventType Type { get; set; }

        [JsonPropertyName("object")]
        public TObject? Object { get; set; }
    }
}
