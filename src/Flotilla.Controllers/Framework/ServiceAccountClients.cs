using System.Net.Http.Headers;
using Flotilla.Client;
using k8s;
using k8s.Authentication;
using k8s.Models;

namespace Flotilla.Controllers.Framework;

/// <summary>
/// kube-controller-manager's <c>--use-service-account-credentials</c>: each controller talks to the API server as its
/// own service account, <c>kube-system/&lt;controller&gt;</c>, which RBAC's bootstrap policy binds to
/// <c>system:controller:&lt;controller&gt;</c>. The manager's own identity creates the account and requests its
/// tokens (TokenRequest, one hour), renewed when 80% of their life has passed.
/// </summary>
public sealed class ServiceAccountClients(IKubernetes manager, KubernetesClientConfiguration server, TimeProvider time)
{
    public const string Namespace = "kube-system";
    private static readonly long TokenSeconds = 3600;

    /// <summary>A client that authenticates as <c>kube-system/<paramref name="controller"/></c>.</summary>
    public Kubernetes For(string controller) => ClusterClients.Create(new KubernetesClientConfiguration
    {
        Host = server.Host,
        SslCaCerts = server.SslCaCerts,
        SkipTlsVerify = server.SkipTlsVerify,
        TlsServerName = server.TlsServerName,
        TokenProvider = new TokenProvider(this, controller, time),
    });

    private async Task<(string Token, DateTimeOffset RenewAt)> RequestAsync(string controller, CancellationToken cancellationToken)
    {
        try
        {
            await manager.CoreV1.ReadNamespacedServiceAccountAsync(controller, Namespace, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            try
            {
                await manager.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = controller, NamespaceProperty = Namespace } }, Namespace, cancellationToken: cancellationToken);
            }
            catch (k8s.Autorest.HttpOperationException conflict) when (conflict.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // Another replica made it first.
            }
        }

        var issued = time.GetUtcNow();
        var response = await manager.CoreV1.CreateNamespacedServiceAccountTokenAsync(
            new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { ExpirationSeconds = TokenSeconds } },
            controller,
            Namespace,
            cancellationToken: cancellationToken);
        var expires = response.Status.ExpirationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : issued.AddSeconds(TokenSeconds);
        return (response.Status.Token, issued + ((expires - issued) * 0.8));
    }

    private sealed class TokenProvider(ServiceAccountClients owner, string controller, TimeProvider time) : ITokenProvider
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private string? _token;
        private DateTimeOffset _renewAt;

        public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_token is null || time.GetUtcNow() >= _renewAt)
                {
                    (_token, _renewAt) = await owner.RequestAsync(controller, cancellationToken);
                }

                return new AuthenticationHeaderValue("Bearer", _token);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
