using System.Text;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Flotilla.ApiServer.Http;

/// <summary>
/// Reads a request body, bounded like kube-apiserver's (3 MiB), and turns YAML into JSON. Every handler reads its
/// body here, so this is also where the audit log gets it (read once).
/// </summary>
public static class RequestBody
{
    public const int MaxBytes = 3 * 1024 * 1024;

    public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        Audit.AuditContext.Of(request.HttpContext)?.LogRequestBody(body, request.ContentType);
        return body;
    }

    /// <summary>The body as JSON: JSON passes through, YAML is converted; other types are 415.</summary>
    public static byte[] ToJson(byte[] body, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(body);
        var essence = MediaTypes.Essence(contentType);
        switch (essence)
        {
            case "" or MediaTypes.Json or MediaTypes.JsonPatch or MediaTypes.MergePatch or MediaTypes.StrategicMergePatch:
                return body;
            case MediaTypes.Yaml or "application/x-yaml" or "text/yaml" or MediaTypes.ApplyPatch:
                return YamlToJson.Convert(Encoding.UTF8.GetString(body));
            case MediaTypes.Protobuf:
                try
                {
                    // kubectl >= 1.32 sends its create generators this way, with no JSON fallback.
                    return KubernetesProtobuf.ToJson(body).Json;
                }
                catch (ProtobufDecodeException e)
                {
                    throw StatusException.BadRequest($"error decoding the protobuf body: {e.Message}");
                }

            default:
                throw StatusException.UnsupportedMediaType(contentType ?? string.Empty);
        }
    }

    private static StatusException TooLarge() =>
        StatusException.TooLarge($"the request body is larger than the limit of {MaxBytes} bytes");
}
