using Flotilla.Api.Errors;
using Flotilla.Api.References;
using Flotilla.Api.Selectors;
using Flotilla.ApiServer.Auth;
using Flotilla.ApiServer.Auth.Node;
using Flotilla.ApiServer.Registry.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Admission.Plugins;

/// <summary>
/// Upstream's NodeRestriction (v1.32): what the Node authorizer lets a kubelet write, narrowed to its own objects —
/// mirror pods bound to itself that reference nothing, status of its pods, its own Node (no taint changes, only
/// kubelet labels), its own Lease and CSINode, tokens for its pods, evictions of its pods. Requests from anyone
/// else pass. Upstream runs it as a mutating plugin; it changes nothing, and here it validates the final object,
/// which is also what every write path (deletes, token requests) calls.
/// </summary>
public sealed class NodeRestriction(AdmissionLookup lookup) : IValidatingAdmission
{
    public string Name => "NodeRestriction";

    public async ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == AdmissionOperation.Connect || !NodeIdentity.TryGetNodeName(request.User, out var node))
        {
            return;
        }

        if (node.Length == 0)
        {
            throw request.Forbidden($"could not determine node from user \"{request.User.Name}\"");
        }

        switch (request.Resource.Group, request.Resource.Plural)
        {
            case ("", "pods"):
                switch (request.Subresource)
                {
                    case "":
                        await PodAsync(node, request, cancellationToken);
                        return;
                    case "status":
                        PodStatus(node, request);
                        return;
                    case "eviction":
                        await EvictionAsync(node, request, cancellationToken);
                        return;
                    default:
                        throw request.Forbidden($"unexpected pod subresource \"{request.Subresource}\", only 'status' and 'eviction' are allowed");
                }

            case ("", "nodes"):
                Node(node, request);
                return;
            case ("", "persistentvolumeclaims"):
                ClaimStatus(node, request);
                return;
            case ("", "serviceaccounts"):
                await ServiceAccountAsync(node, request, cancellationToken);
                return;
            case ("coordination.k8s.io", "leases"):
                Lease(node, request);
                return;
            case ("storage.k8s.io", "csinodes"):
                if ((request.Operation == AdmissionOperation.Create ? request.Object?.Metadata?.Name : request.Name) != node)
                {
                    throw request.Forbidden("can only access CSINode with the same name as the requesting node");
                }

                return;
            case ("resource.k8s.io", "resourceslices"):
                ResourceSlice(node, request);
                return;
        }
    }

    private async Task PodAsync(string node, AdmissionRequest request, CancellationToken cancellationToken)
    {
        switch (request.Operation)
        {
            case AdmissionOperation.Create:
                await PodCreateAsync(node, request, cancellationToken);
                return;
            case AdmissionOperation.Delete:
                if ((request.OldObject as V1Pod)?.Spec?.NodeName != node)
                {
                    throw request.Forbidden($"node \"{node}\" can only delete pods with spec.nodeName set to itself");
                }

                return;
            default:
                throw request.Forbidden($"unexpected operation \"{Operation(request)}\", node \"{node}\" can only create and delete mirror pods");
        }
    }

    private async Task PodCreateAsync(string node, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var pod = request.Object as V1Pod ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");
        if (pod.Metadata.Annotations?.ContainsKey(NodeGraph.MirrorPodAnnotation) != true)
        {
            throw request.Forbidden($"pod does not have \"{NodeGraph.MirrorPodAnnotation}\" annotation, node \"{node}\" can only create mirror pods");
        }

        if (pod.Spec.NodeName != node)
        {
            throw request.Forbidden($"node \"{node}\" can only create pods with spec.nodeName set to itself");
        }

        var owners = pod.Metadata.OwnerReferences ?? [];
        if (owners.Count > 1)
        {
            throw request.Forbidden($"node \"{node}\" can only create pods with a single owner reference set to itself");
        }

        if (owners.Count == 0 || owners[0] is not { ApiVersion: "v1", Kind: "Node" } owner || owner.Name != node)
        {
            throw request.Forbidden($"node \"{node}\" can only create pods with an owner reference set to itself");
        }

        if (owner.Controller != true)
        {
            throw request.Forbidden($"node \"{node}\" can only create pods with a controller owner reference set to itself");
        }

        if (owner.BlockOwnerDeletion == true)
        {
            throw request.Forbidden($"node \"{node}\" must not set blockOwnerDeletion on an owner reference");
        }

        var self = await lookup.GetAsync<V1Node>(null, node, cancellationToken)
            ?? throw StatusException.NotFound(string.Empty, "nodes", node);
        if (owner.Uid != self.Metadata.Uid)
        {
            throw request.Forbidden($"node {node} UID mismatch: expected {owner.Uid} got {self.Metadata.Uid}");
        }

        // A node must not gain access to other objects by creating a pod that names them.
        if (!string.IsNullOrEmpty(pod.Spec.ServiceAccountName))
        {
            throw request.Forbidden($"node \"{node}\" can not create pods that reference a service account");
        }

        if (PodReferences.SecretNames(pod).Any())
        {
            throw request.Forbidden($"node \"{node}\" can not create pods that reference secrets");
        }

        if (PodReferences.ConfigMapNames(pod).Any())
        {
            throw request.Forbidden($"node \"{node}\" can not create pods that reference configmaps");
        }

        if (pod.Spec.Volumes?.Any(v => v.Projected?.Sources?.Any(s => s.ClusterTrustBundle is not null) == true) == true)
        {
            throw request.Forbidden($"node \"{node}\" can not create pods that reference clustertrustbundles");
        }

        if (pod.Spec.Volumes?.Any(v => v.PersistentVolumeClaim is not null) == true)
        {
            throw request.Forbidden($"node \"{node}\" can not create pods that reference persistentvolumeclaims");
        }
    }

    private static void PodStatus(string node, AdmissionRequest request)
    {
        if (request.Operation != AdmissionOperation.Update)
        {
            throw request.Forbidden($"unexpected operation \"{Operation(request)}\"");
        }

        var old = request.OldObject as V1Pod ?? throw request.Forbidden($"unexpected type {request.OldObject?.GetType().Name}");
        if (old.Spec?.NodeName != node)
        {
            throw request.Forbidden($"node \"{node}\" can only update pod status for pods with spec.nodeName set to itself");
        }

        var pod = request.Object as V1Pod ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");
        if (!LabelSets.Equal(old.Metadata.Labels, pod.Metadata.Labels))
        {
            throw request.Forbidden($"node \"{node}\" cannot update labels through pod status");
        }

        if (!(old.Status?.ResourceClaimStatuses ?? []).Select(s => (s.Name, s.ResourceClaimName)).SequenceEqual((pod.Status?.ResourceClaimStatuses ?? []).Select(s => (s.Name, s.ResourceClaimName))))
        {
            throw request.Forbidden($"node \"{node}\" cannot update resource claim statues");
        }
    }

    private async Task EvictionAsync(string node, AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation != AdmissionOperation.Create)
        {
            throw request.Forbidden($"unexpected operation {Operation(request)}");
        }

        var eviction = request.Object as V1Eviction ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");
        var name = request.Name.Length > 0 ? request.Name : eviction.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw request.Forbidden("could not determine pod from request data");
        }

        var pod = await lookup.GetAsync<V1Pod>(request.Namespace, name, cancellationToken)
            ?? throw StatusException.NotFound(string.Empty, "pods", name);
        if (pod.Spec?.NodeName != node)
        {
            throw request.Forbidden($"node {node} can only evict pods with spec.nodeName set to itself");
        }
    }

    private static void ClaimStatus(string node, AdmissionRequest request)
    {
        if (request.Subresource != "status")
        {
            throw request.Forbidden("may only update PVC status");
        }

        if (request.Operation != AdmissionOperation.Update)
        {
            throw request.Forbidden($"unexpected operation \"{Operation(request)}\"");
        }

        var old = request.OldObject as V1PersistentVolumeClaim ?? throw request.Forbidden($"unexpected type {request.OldObject?.GetType().Name}");
        var claim = request.Object as V1PersistentVolumeClaim ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");
        if (!ModelJson.SemanticEqual(WithoutNodeStatus(old), WithoutNodeStatus(claim)))
        {
            throw request.Forbidden($"node \"{node}\" is not allowed to update fields other than status.quantity and status.conditions");
        }
    }

    // What a node may change on its claims' status (RecoverVolumeExpansionFailure is on in v1.32: allocations too).
    private static V1PersistentVolumeClaim WithoutNodeStatus(V1PersistentVolumeClaim claim)
    {
        var copy = ModelJson.Clone(claim);
        copy.Metadata.ResourceVersion = null;
        copy.Metadata.ManagedFields = null;
        if (copy.Status is { } status)
        {
            status.Capacity = null;
            status.Conditions = null;
            status.AllocatedResourceStatuses = null;
            status.AllocatedResources = null;
        }

        return copy;
    }

    private static void Node(string node, AdmissionRequest request)
    {
        if (request.Name != node)
        {
            throw request.Forbidden($"node \"{node}\" is not allowed to modify node \"{request.Name}\"");
        }

        if (request.Operation == AdmissionOperation.Create)
        {
            var created = request.Object as V1Node ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");

            // The node's spec scopes what it may read: it cannot point it elsewhere.
            if (created.Spec?.ConfigSource is not null)
            {
                throw request.Forbidden($"node \"{node}\" is not allowed to create pods with a non-nil configSource");
            }

            // Labels steer workloads: a node must not attract privileged ones to itself.
            if (NodeLabelPolicy.Forbidden(NodeLabelPolicy.Modified(created.Metadata.Labels, null)) is { Count: > 0 } forbidden)
            {
                throw request.Forbidden($"node \"{node}\" is not allowed to set the following labels: {string.Join(", ", forbidden)}");
            }
        }
        else if (request.Operation == AdmissionOperation.Update)
        {
            var updated = request.Object as V1Node ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");
            var old = request.OldObject as V1Node ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");
            if (updated.Spec?.ConfigSource is not null && !ModelJson.SemanticEqual(updated.Spec.ConfigSource, old.Spec?.ConfigSource))
            {
                throw request.Forbidden($"node \"{node}\" is not allowed to update configSource to a new non-nil configSource");
            }

            if (!ModelJson.SemanticEqual(updated.Spec?.Taints, old.Spec?.Taints))
            {
                throw request.Forbidden($"node \"{node}\" is not allowed to modify taints");
            }

            if (NodeLabelPolicy.Forbidden(NodeLabelPolicy.Modified(updated.Metadata.Labels, old.Metadata.Labels)) is { Count: > 0 } forbidden)
            {
                throw request.Forbidden($"is not allowed to modify labels: {string.Join(", ", forbidden)}");
            }
        }
    }

    private async Task ServiceAccountAsync(string node, AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation != AdmissionOperation.Create || request.Subresource != "token")
        {
            return;
        }

        var tokenRequest = request.Object as Authenticationv1TokenRequest ?? throw request.Forbidden($"unexpected type {request.Object?.GetType().Name}");

        // A node's token must be bound to a pod on that node (the server infers the node binding from the pod).
        if (tokenRequest.Spec?.BoundObjectRef is not { ApiVersion: "v1", Kind: "Pod", Name.Length: > 0 } reference)
        {
            throw request.Forbidden("node requested token not bound to a pod");
        }

        if (string.IsNullOrEmpty(reference.Uid))
        {
            throw request.Forbidden("node requested token with a pod binding without a uid");
        }

        var pod = await lookup.GetAsync<V1Pod>(request.Namespace, reference.Name, cancellationToken)
            ?? throw StatusException.NotFound(string.Empty, "pods", reference.Name);
        if (reference.Uid != pod.Metadata.Uid)
        {
            throw request.Forbidden($"the UID in the bound object reference ({reference.Uid}) does not match the UID in record. The object might have been deleted and then recreated");
        }

        if (pod.Spec?.NodeName != node)
        {
            throw request.Forbidden("node requested token bound to a pod scheduled on a different node");
        }
    }

    private static void Lease(string node, AdmissionRequest request)
    {
        if (request.Namespace != NodeAuthorizer.NodeLeaseNamespace)
        {
            throw request.Forbidden($"can only access leases in the \"{NodeAuthorizer.NodeLeaseNamespace}\" system namespace");
        }

        if ((request.Operation == AdmissionOperation.Create ? request.Object?.Metadata?.Name : request.Name) != node)
        {
            throw request.Forbidden("can only access node lease with the same name as the requesting node");
        }
    }

    // The node authorizer cannot see a new slice's nodeName, nor each object of a deletecollection: checked here.
    private static void ResourceSlice(string node, AdmissionRequest request)
    {
        var (obj, verb) = request.Operation switch
        {
            AdmissionOperation.Create => (request.Object, "create"),
            AdmissionOperation.Delete => (request.OldObject, "delete"),
            _ => (null, null),
        };
        if (verb is not null && (string?)ModelJson.ToNode(obj)?["spec"]?["nodeName"] != node)
        {
            throw request.Forbidden($"can only {verb} ResourceSlice with the same NodeName as the requesting node");
        }
    }

    // Upstream's admission.Operation strings.
    private static string Operation(AdmissionRequest request) => request.Operation.ToString().ToUpperInvariant();
}
