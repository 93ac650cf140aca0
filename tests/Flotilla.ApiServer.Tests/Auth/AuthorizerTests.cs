using Flotilla.Api.Resources;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Node;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Registry;
using Flotilla.ApiServer.Watch;
using k8s;
using k8s.Models;
using static Flotilla.ApiServer.Tests.Auth.Node.NodeObjects;

namespace Flotilla.ApiServer.Tests.Auth;

/// <summary>The chain: system:masters, then the Node authorizer, then RBAC; the reasons of those without an opinion.</summary>
public sealed class AuthorizerTests
{
    private static readonly UserInfo Node1 = new("system:node:n1", ["system:nodes", "system:authenticated"]);
    private readonly Dictionary<string, WatchCache> _rbac = new[] { "roles", "rolebindings", "clusterroles", "clusterrolebindings" }
        .ToDictionary(p => p, p => new WatchCache(ResourceCatalog.Default.Find("rbac.authorization.k8s.io", "v1", p)!, 100));

    private long _revision;

    [Fact]
    public void NodeAuthorizerAllows_WithoutRbac()
    {
        var result = Build().Authorize(Secret(Node1, "s"));

        Assert.Equal(AuthorizationResult.Allowed, result);
    }

    [Fact]
    public void NeitherAllows_TheNodeAuthorizersReasonExplains()
    {
        var result = Build().Authorize(Secret(Node1, "elsewhere"));

        Assert.Equal(AuthorizationResult.Undecided("no relationship found between node 'n1' and this object"), result);
    }

    [Fact]
    public void NodeAuthorizerHasNoOpinion_RbacStillDecides()
    {
        Add(_rbac["clusterroles"], new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "secret-reader" }, Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["secrets"], Verbs = ["get"] }] });
        Add(_rbac["clusterrolebindings"], new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "nodes-read-secrets" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "secret-reader" },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = "system:nodes" }],
        });

        var result = Build().Authorize(Secret(Node1, "elsewhere"));

        Assert.Equal(AuthorizationResult.Allowed, result);
    }

    [Fact]
    public void Masters_AreAllowed_NonNodes_GetNoReason()
    {
        var authorizer = Build();

        Assert.True(authorizer.Allows(Secret(new UserInfo("admin", [Authorizer.MastersGroup]), "anything")));
        Assert.Equal(AuthorizationResult.NoOpinion, authorizer.Authorize(Secret(new UserInfo("jane", ["system:authenticated"]), "s")));
    }

    [Fact]
    public void NodeRules_AreTheSystemNodeClusterRolesRules()
    {
        var events = new Attributes(Node1, "create", true, "", "events", Namespace: "ns");
        Assert.False(Build().Allows(events));

        Add(_rbac["clusterroles"], new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "system:node" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["events"], Verbs = ["create", "patch", "update"] }],
        });

        Assert.True(Build().Allows(events));
        Assert.False(Build().Allows(events with { User = new UserInfo("jane", ["system:authenticated"]) }));
    }

    private static Attributes Secret(UserInfo user, string name) => new(user, "get", true, "", "secrets", Namespace: "ns", Name: name);

    private Authorizer Build()
    {
        var graph = new NodeGraph();
        graph.AddPod(Pod("p", "n1", "ns", spec: s => s.Volumes = [SecretVolume("s")]));
        return new Authorizer(new RbacAuthorizer(new RuleResolver(p => _rbac[p])), new NodeAuthorizer(graph, NodeAuthorizer.RulesOf(_rbac["clusterroles"])));
    }

    private void Add(WatchCache cache, IKubernetesObject<V1ObjectMeta> obj)
    {
        var revision = ++_revision;
        cache.Apply(new CachedChange(ChangeType.Added, new CachedObject(cache.Resource.StorageKey(obj.Metadata.NamespaceProperty, obj.Metadata.Name), [], revision, () => obj), null));
    }
}
