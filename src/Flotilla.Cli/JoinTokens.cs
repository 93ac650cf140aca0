using Flotilla.Api.Bootstrap;
using k8s;
using k8s.Autorest;

namespace Flotilla.Cli;

/// <summary>Bootstrap tokens made through the API and handed out as join tokens (<c>token create</c>, <c>up</c>'s own nodes).</summary>
public static class JoinTokens
{
    private const int MaxIdCollisions = 3;

    /// <summary>Creates a node bootstrap token's Secret and returns the join token <c>K10&lt;ca-hash&gt;::&lt;id&gt;.&lt;secret&gt;</c>.</summary>
    /// <param name="caFile">The bytes of the cluster CA's certificate file, whose hash the token carries.</param>
    /// <param name="ttl">How long it is valid; zero never expires.</param>
    public static async Task<string> CreateAsync(IKubernetes client, byte[] caFile, TimeSpan ttl, string description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        for (var attempt = 1; ; attempt++)
        {
            var (id, secret) = BootstrapToken.Generate();
            DateTimeOffset? expires = ttl > TimeSpan.Zero ? DateTimeOffset.UtcNow + ttl : null;
            try
            {
                await client.CoreV1.CreateNamespacedSecretAsync(
                    BootstrapToken.ToSecret(id, secret, expires, description, [BootstrapToken.NodeTokenGroup]), BootstrapToken.Namespace, cancellationToken: cancellationToken);
                return JoinToken.Format(caFile, id, secret);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < MaxIdCollisions)
            {
                // Another token has this ID (one in 36^6): draw again.
            }
        }
    }
}
