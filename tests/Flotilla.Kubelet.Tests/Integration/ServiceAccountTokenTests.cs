using Flotilla.Client;
using Flotilla.Kubelet.Volumes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Kubelet.Tests.Integration;

/// <summary>
/// The kubelet's token manager against a real HTTPS API server, as node n1 (NodeRestriction applies): tokens bound
/// to the pod, cached, requested again past 80 % of their life, and refused for a pod on another node.
/// </summary>
public sealed class ServiceAccountTokenTests : Testing.NodeCluster
{
    [Fact]
    public async Task TokensAreBoundToThePod_Cached_AndRefreshedBeforeTheyExpire()
    {
        await Admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "robot" } }, "default");
        var pod = await Admin.CoreV1.CreateNamespacedPodAsync(TokenPod("reader", "n1"), "default");
        // A little after the server's clock: a token issued "in the future" would be asked for again (upstream's rule).
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(5));
        var counter = new RequestCounter();
        using var client = new Kubernetes(ClusterClients.ConfigForServer(Address, Pki.Ca, Pki.Node("n1", TimeProvider.System)), counter);
        var tokens = new ServiceAccountTokens(client, time, NullLogger.Instance);

        Assert.Null(await ProjectedTokens.EnsureAsync(pod, tokens, CancellationToken.None));
        Assert.Null(await ProjectedTokens.EnsureAsync(pod, tokens, CancellationToken.None));
        Assert.Equal(1, counter.TokenRequests);
        Assert.Equal(1, tokens.Count);

        // The token is the pod's: the API server vouches for it with the pod's name and UID.
        var token = await tokens.GetAsync("default", "robot", Request(pod), CancellationToken.None);
        var review = await Admin.AuthenticationV1.CreateTokenReviewAsync(new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } });
        Assert.True(review.Status.Authenticated);
        Assert.Equal("system:serviceaccount:default:robot", review.Status.User.Username);
        Assert.Equal(["reader"], review.Status.User.Extra["authentication.kubernetes.io/pod-name"]);
        Assert.Equal([pod.Metadata.Uid], review.Status.User.Extra["authentication.kubernetes.io/pod-uid"]);

        // 3600 s: past 80 % (48 min, less the jitter) the next use and the periodic pass request it again.
        time.Advance(TimeSpan.FromMinutes(40));
        await tokens.RefreshAsync(CancellationToken.None);
        Assert.Equal(1, counter.TokenRequests);
        time.Advance(TimeSpan.FromMinutes(9));
        await tokens.RefreshAsync(CancellationToken.None);
        Assert.Equal(2, counter.TokenRequests);

        tokens.DeleteForPod(pod.Metadata.Uid);
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public async Task APodOnAnotherNodeGetsNoToken()
    {
        await Admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "robot" } }, "default");
        var pod = await Admin.CoreV1.CreateNamespacedPodAsync(TokenPod("elsewhere", "n2"), "default");
        var tokens = new ServiceAccountTokens(Node, TimeProvider.System, NullLogger.Instance);

        var failure = await ProjectedTokens.EnsureAsync(pod, tokens, CancellationToken.None);
        Assert.NotNull(failure);
        Assert.StartsWith("MountVolume.SetUp failed for volume \"kube-api-access-test\" : failed to fetch token: ", failure, StringComparison.Ordinal);
        Assert.Equal(0, tokens.Count);
    }

    private static V1Pod TokenPod(string name, string node) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            NodeName = node,
            ServiceAccountName = "robot",
            AutomountServiceAccountToken = false,
            Containers = [new V1Container { Name = "app", Image = "busybox:1.35" }],
            Volumes =
            [
                new V1Volume
                {
                    Name = "kube-api-access-test",
                    Projected = new V1ProjectedVolumeSource { Sources = [new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 3600 } }] },
                },
            ],
        },
    };

    private static Authenticationv1TokenRequest Request(V1Pod pod) => new()
    {
        Spec = new V1TokenRequestSpec
        {
            ExpirationSeconds = 3600,
            BoundObjectRef = new V1BoundObjectReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
        },
    };

    /// <summary>Counts TokenRequests on their way to the API server.</summary>
    private sealed class RequestCounter : DelegatingHandler
    {
        private int _tokenRequests;

        public int TokenRequests => _tokenRequests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/token", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _tokenRequests);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
