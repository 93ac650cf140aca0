using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>JSON requests through a client of the secure fixture (each client is one identity).</summary>
internal static class HttpJson
{
    public static async Task<(HttpStatusCode Code, JsonNode? Body)> SendAsync(this HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Sends and fails the test unless the answer is <paramref name="expected"/>.</summary>
    public static async Task<JsonNode?> ExpectAsync(this HttpClient client, HttpStatusCode expected, HttpMethod method, string path, string? body = null)
    {
        var (code, answer) = await client.SendAsync(method, path, body);
        Assert.True(code == expected, $"{method} {path}: {(int)code} {answer?.ToJsonString()}");
        return answer;
    }

    /// <summary>Who the server takes the client for (a SelfSubjectReview, as <c>kubectl auth whoami</c>).</summary>
    public static async Task<JsonNode> WhoAmIAsync(this HttpClient client) =>
        (await client.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}"""))!["status"]!["userInfo"]!;
}
