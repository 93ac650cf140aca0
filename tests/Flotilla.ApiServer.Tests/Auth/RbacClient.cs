using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>JSON requests for the RBAC integration tests, and waiting for the aggregated default roles.</summary>
internal static class RbacClient
{
    public const string RbacApi = "/apis/rbac.authorization.k8s.io/v1";

    public static async Task<(HttpStatusCode Code, JsonNode? Body)> PostAsync(this HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<(HttpStatusCode Code, JsonNode? Body)> PutAsync(this HttpClient client, string path, string json)
    {
        using var response = await client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task CreatedAsync(this HttpClient client, string path, string json)
    {
        var (code, body) = await client.PostAsync(path, json);
        Assert.True(code == HttpStatusCode.Created, $"POST {path}: {(int)code} {body}");
    }

    public static string RoleBinding(string name, string kind, string role, string user) => $$"""
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"{{name}}"},
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{kind}}","name":"{{role}}"},
         "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"{{user}}"}]}
        """;

    public static string Role(string name, string rules) => $$"""
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"{{name}}"},"rules":{{rules}}}
        """;

    /// <summary>Waits until the named ClusterRole's rules satisfy <paramref name="done"/> (the aggregation runs in the background).</summary>
    public static async Task<JsonArray> WaitForRulesAsync(this HttpClient admin, string clusterRole, Func<JsonArray, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var role = JsonNode.Parse(await admin.GetStringAsync($"{RbacApi}/clusterroles/{clusterRole}"))!;
            var rules = role["rules"] as JsonArray ?? [];
            if (done(rules))
            {
                return rules;
            }

            Assert.True(DateTime.UtcNow < deadline, $"clusterrole {clusterRole} never got the expected rules: {rules.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public static bool HasResource(this JsonArray rules, string resource) =>
        rules.Any(r => (r?["resources"] as JsonArray)?.Any(x => (string?)x == resource) == true);

    /// <summary>admin has the full chain: view's rules (pods/log) through edit, and its own (localsubjectaccessreviews).</summary>
    public static Task WaitForDefaultAggregationAsync(this HttpClient admin) =>
        admin.WaitForRulesAsync("admin", rules => rules.HasResource("localsubjectaccessreviews") && rules.HasResource("pods/log") && rules.HasResource("pods/exec"));
}
