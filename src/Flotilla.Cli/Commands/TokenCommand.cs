using Flotilla.Api.Serialization;
using System.CommandLine;
using System.Text.Json;
using Flotilla.Api.Bootstrap;
using Flotilla.Client;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;

namespace Flotilla.Cli.Commands;

/// <summary>
/// <c>flotilla token create</c>: a bootstrap token for an agent to join with (k3s' <c>token create</c>). The token's
/// Secret is created through the API as the admin of <c>&lt;data-dir&gt;/kubeconfig</c>, so the cluster must be up;
/// the join token printed is <c>K10&lt;sha256 of tls/ca.crt&gt;::&lt;id&gt;.&lt;secret&gt;</c> (see JoinToken).
/// </summary>
public static class TokenCommand
{
    public static Command Create()
    {
        var dataDirOption = ServerOptions.DataDirOption();
        var ttl = new Option<string>("--ttl")
        {
            Description = "How long the token is valid (e.g. 24h, 30m; 0 never expires)",
            DefaultValueFactory = _ => "24h",
        };
        ttl.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } text && !(GoDuration.TryParse(text, out var d) && d >= TimeSpan.Zero))
            {
                r.AddError($"--ttl: '{text}' is not a duration such as 24h, 1h30m or 0");
            }
        });
        var description = new Option<string>("--description") { Description = "A human-readable description of the token", DefaultValueFactory = _ => string.Empty };
        var create = new Command("create", "Create a bootstrap token and print it as a join token for 'flotilla agent --token'") { dataDirOption, ttl, description };
        create.SetAction((parsed, cancellationToken) => CreateAsync(parsed.GetValue(dataDirOption)!, Duration(parsed.GetValue(ttl)!), parsed.GetValue(description)!, cancellationToken));
        return new Command("token", "Manage bootstrap tokens, with which agents join the cluster") { create };
    }

    private static async Task<int> CreateAsync(string dataDirPath, TimeSpan ttl, string description, CancellationToken cancellationToken)
    {
        using var dataDir = new DataDirectory(dataDirPath);
        var caFile = Path.Combine(dataDir.TlsDir, "ca.crt");
        if (!File.Exists(dataDir.Kubeconfig) || !File.Exists(caFile))
        {
            return await FailAsync($"no cluster in {dataDir.Root} (no kubeconfig or tls/ca.crt): start it with 'flotilla up --data-dir {dataDir.Root}'");
        }

        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(dataDir.Kubeconfig);
        }
        catch (KubeConfigException e)
        {
            return await FailAsync($"cannot read {dataDir.Kubeconfig}: {e.Message}");
        }

        using var client = ClusterClients.Create(config);
        try
        {
            await Console.Out.WriteLineAsync(await JoinTokens.CreateAsync(client, await File.ReadAllBytesAsync(caFile, cancellationToken), ttl, description, cancellationToken));
            return 0;
        }
        catch (HttpOperationException e)
        {
            return await FailAsync($"the API server refused the token: {StatusMessage(e.Response.Content) ?? e.Message}");
        }
        catch (HttpRequestException e)
        {
            return await FailAsync($"cannot reach the API server at {config.Host}: {e.Message} (is the cluster up? start it with 'flotilla up --data-dir {dataDir.Root}')");
        }
    }

    private static TimeSpan Duration(string text) => GoDuration.TryParse(text, out var duration) ? duration : TimeSpan.Zero;

    private static string? StatusMessage(string? body)
    {
        try
        {
            using var status = JsonDocument.Parse(body ?? string.Empty);
            return status.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<int> FailAsync(string message)
    {
        await Console.Error.WriteLineAsync($"flotilla token create: {message}");
        return 1;
    }
}
