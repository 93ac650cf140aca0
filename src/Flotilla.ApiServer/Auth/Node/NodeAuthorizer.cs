using Flotilla.Api.Selectors;
using Flotilla.ApiServer.Auth.Rbac;
using Flotilla.ApiServer.Watch;
using k8s.Models;

namespace Flotilla.ApiServer.Auth.Node;

/// <summary>
/// Upstream's Node authorizer (v1.32, AuthorizeNodeWithSelectors on): a kubelet (<see cref="NodeIdentity"/>) may
/// read the secrets, configmaps, claims, volumes and service-account tokens of the pods bound to it (checked in the
/// <see cref="NodeGraph"/>), its own Node, Lease and CSINode, pods listed by <c>spec.nodeName</c>, and what
/// <paramref name="nodeRules"/> (the <c>system:node</c> role's rules) allow for everything else. It never denies:
/// anything it does not allow is "no opinion" (with the reason a 403 then shows), for the next authorizer to decide.
/// Names it allows writing (nodes, pods, leases) are narrowed by the NodeRestriction admission plugin.
/// </summary>
public sealed class NodeAuthorizer(NodeGraph graph, Func<IEnumerable<V1PolicyRule>> nodeRules)
{
    public const string NodeLeaseNamespace = "kube-node-lease";

    /// <summary>
    /// The rules of the <c>system:node</c> ClusterRole as the cache holds it: upstream compiles the same rules into
    /// the authorizer; reading the reconciled role keeps them in one place (the bootstrap policy).
    /// </summary>
    public static Func<IEnumerable<V1PolicyRule>> RulesOf(WatchCache clusterRoles, string role = "system:node")
    {
        ArgumentNullException.ThrowIfNull(clusterRoles);
        var key = clusterRoles.Resource.StorageKey(null, role);
        return () => (clusterRoles.Get(key)?.Object as V1ClusterRole)?.Rules ?? [];
    }

    public AuthorizationResult Authorize(Attributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!NodeIdentity.TryGetNodeName(request.User, out var node))
        {
            return AuthorizationResult.NoOpinion;
        }

        if (node.Length == 0)
        {
            return AuthorizationResult.Undecided($"unknown node for user \"{request.User.Name}\"");
        }

        if (request.IsResourceRequest)
        {
            switch (request.ApiGroup, request.Resource)
            {
                case ("", "secrets"):
                    return ReadNamespacedObject(node, VertexType.Secret, request);
                case ("", "configmaps"):
                    return ReadNamespacedObject(node, VertexType.ConfigMap, request);
                case ("", "persistentvolumeclaims"):
                    return request.Subresource == "status" ? StatusUpdate(node, VertexType.PersistentVolumeClaim, request) : Get(node, VertexType.PersistentVolumeClaim, request);
                case ("", "persistentvolumes"):
                    return Get(node, VertexType.PersistentVolume, request);
                case ("resource.k8s.io", "resourceclaims"):
                    return Get(node, VertexType.ResourceClaim, request);
                case ("storage.k8s.io", "volumeattachments"):
                    return Get(node, VertexType.VolumeAttachment, request);
                case ("", "serviceaccounts"):
                    return CreateToken(node, request);
                case ("coordination.k8s.io", "leases"):
                    return Lease(node, request);
                case ("storage.k8s.io", "csinodes"):
                    return CsiNode(node, request);
                case ("resource.k8s.io", "resourceslices"):
                    return ResourceSlice(node, request);
                case ("", "nodes"):
                    return Node(node, request);
                case ("", "pods"):
                    return Pod(node, request);
            }
        }

        foreach (var rule in nodeRules())
        {
            if (RuleMatcher.Allows(rule, request))
            {
                return AuthorizationResult.Allowed;
            }
        }

        return AuthorizationResult.NoOpinion;
    }

    private AuthorizationResult StatusUpdate(string node, VertexType type, Attributes request) =>
        request.Verb is "update" or "patch" ? Related(node, type, request) : AuthorizationResult.Undecided("can only get/update/patch this type");

    private AuthorizationResult Get(string node, VertexType type, Attributes request) =>
        request.Verb != "get" ? AuthorizationResult.Undecided("can only get individual resources of this type")
        : request.Subresource.Length > 0 ? AuthorizationResult.Undecided("cannot get subresource")
        : Related(node, type, request);

    private AuthorizationResult ReadNamespacedObject(string node, VertexType type, Attributes request) =>
        request.Verb is not ("get" or "list" or "watch") ? AuthorizationResult.Undecided("can only read resources of this type")
        : request.Subresource.Length > 0 ? AuthorizationResult.Undecided("cannot read subresource")
        : request.Namespace.Length == 0 ? AuthorizationResult.Undecided("can only read namespaced object of this type")
        : Related(node, type, request);

    private AuthorizationResult Related(string node, VertexType type, Attributes request) =>
        request.Name.Length == 0 ? AuthorizationResult.Undecided("No Object name found")
        : graph.HasPath(node, type, request.Namespace, request.Name) ? AuthorizationResult.Allowed
        : NoRelationship(node);

    private AuthorizationResult CreateToken(string node, Attributes request) =>
        request.Verb != "create" || request.Name.Length == 0 ? AuthorizationResult.Undecided("can only create tokens for individual service accounts")
        : request.Subresource != "token" ? AuthorizationResult.Undecided("can only create token subresource of serviceaccount")
        : graph.HasPath(node, VertexType.ServiceAccount, request.Namespace, request.Name) ? AuthorizationResult.Allowed
        : NoRelationship(node);

    // The name is unknown to authorization on create: NodeRestriction checks it then.
    private static AuthorizationResult Lease(string node, Attributes request) =>
        request.Verb is not ("get" or "create" or "update" or "patch" or "delete") ? AuthorizationResult.Undecided("can only get, create, update, patch, or delete a node lease")
        : request.Namespace != NodeLeaseNamespace ? AuthorizationResult.Undecided($"can only access leases in the \"{NodeLeaseNamespace}\" system namespace")
        : request.Verb != "create" && request.Name != node ? AuthorizationResult.Undecided("can only access node lease with the same name as the requesting node")
        : AuthorizationResult.Allowed;

    private static AuthorizationResult CsiNode(string node, Attributes request) =>
        request.Verb is not ("get" or "create" or "update" or "patch" or "delete") ? AuthorizationResult.Undecided("can only get, create, update, patch, or delete a CSINode")
        : request.Subresource.Length > 0 ? AuthorizationResult.Undecided("cannot authorize CSINode subresources")
        : request.Verb != "create" && request.Name != node ? AuthorizationResult.Undecided("can only access CSINode with the same name as the requesting node")
        : AuthorizationResult.Allowed;

    private AuthorizationResult ResourceSlice(string node, Attributes request) =>
        request.Subresource.Length > 0 ? AuthorizationResult.Undecided("cannot authorize ResourceSlice subresources")
        : request.Verb switch
        {
            "create" => AuthorizationResult.Allowed,
            "get" or "update" or "patch" or "delete" => Related(node, VertexType.ResourceSlice, request),
            "watch" or "list" or "deletecollection" => SelectsField(request, "nodeName", node)
                ? AuthorizationResult.Allowed
                : AuthorizationResult.Undecided("can only list/watch/deletecollection resourceslices with nodeName field selector"),
            _ => AuthorizationResult.Undecided("only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection"),
        };

    // Reads compare the name rather than use the graph, so a kubelet can look for its Node before creating it.
    private static AuthorizationResult Node(string node, Attributes request) => (request.Subresource, request.Verb) switch
    {
        ("", "create" or "update" or "patch") => AuthorizationResult.Allowed,
        ("", "get" or "list" or "watch") => request.Name == node ? AuthorizationResult.Allowed
            : request.Name.Length == 0 ? AuthorizationResult.Undecided($"node '{node}' cannot read all nodes, only its own Node object")
            : AuthorizationResult.Undecided($"node '{node}' cannot read '{request.Name}', only its own Node object"),
        ("status", "update" or "patch") => AuthorizationResult.Allowed,
        _ => AuthorizationResult.NoOpinion,
    };

    private AuthorizationResult Pod(string node, Attributes request) => (request.Subresource, request.Verb) switch
    {
        ("", "get") => Get(node, VertexType.Pod, request),
        ("", "list" or "watch") => SelectsField(request, "spec.nodeName", node) ? AuthorizationResult.Allowed
            : request.Name.Length > 0 ? Related(node, VertexType.Pod, request)
            : AuthorizationResult.Undecided("can only list/watch pods with spec.nodeName field selector"),
        ("", "create" or "delete") => AuthorizationResult.Allowed,  // mirror pods
        ("status", "update" or "patch") => AuthorizationResult.Allowed,
        ("eviction", "create") => AuthorizationResult.Allowed,
        _ => AuthorizationResult.NoOpinion,
    };

    private static bool SelectsField(Attributes request, string field, string value) =>
        request.FieldSelector?.Requirements.Any(r => r.Field == field && r.Operator == FieldOperator.Equal && r.Value == value) == true;

    private static AuthorizationResult NoRelationship(string node) =>
        AuthorizationResult.Undecided($"no relationship found between node '{node}' and this object");
}
