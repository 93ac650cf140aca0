using System.Net.Http.Headers;
using System.Text;
using k8s;
using k8s.Autorest;

namespace Flotilla.Client;

/// <summary>
/// Requests to any API path over a typed client's connection and credentials, for what the typed client has no method
/// for: informers' streaming lists and watches, and the garbage collector's reads, patches and deletes of any kind.
/// A failure is an <see cref="HttpOperationException"/> with the server's Status, as from the typed client.
/// </summary>
public static class RawApi
{
    public static async Task<HttpResponseMessage> SendAsync(IKubernetes client, HttpMethod method, string pathAndQuery, HttpContent? content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var kubernetes = client as Kubernetes ?? throw new ArgumentException("raw requests need a KubernetesClient connection", nameof(client));
        using var request = new HttpRequestMessage(method, new Uri(kubernetes.BaseUri, pathAndQuery.TrimStart('/'))) { Content = content };
        if (kubernetes.Credentials is not null)
        {
            await kubernetes.Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }

        var response = await kubernetes.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpOperationException($"{method} {pathAndQuery}: {(int)response.StatusCode} {body}")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, body),
            };
        }
    }

    /// <summary>Sends <paramref name="json"/> and discards the answer.</summary>
    public static async Task SendJsonAsync(IKubernetes client, HttpMethod method, string path, string json, string contentType, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await SendAsync(client, method, path, content, cancellationToken);
    }
}
