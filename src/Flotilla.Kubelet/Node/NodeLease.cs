using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flotilla.Kubelet.Node;

/// <summary>
/// The node's heartbeat (upstream's node lease controller): the Lease <c>kube-node-lease/&lt;node&gt;</c>, held by the
/// node and owned by its Node object, renewed every quarter of its duration. The node lifecycle controller reads it.
/// </summary>
public sealed class NodeLease(IKubernetes client, KubeletOptions options, TimeProvider time)
{
    public const string Namespace = "kube-node-lease";

    private V1Lease? _lease;

    public TimeSpan RenewInterval => options.NodeLeaseDuration / 4;

    public async Task RenewAsync(V1Node? owner, CancellationToken cancellationToken)
    {
        var name = options.NodeName;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            _lease ??= await ReadAsync(name, cancellationToken);
            var lease = _lease ?? new V1Lease { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace } };
            lease.Spec ??= new V1LeaseSpec();
            lease.Spec.HolderIdentity = name;
            lease.Spec.LeaseDurationSeconds = (int)options.NodeLeaseDuration.TotalSeconds;
            lease.Spec.RenewTime = time.GetUtcNow().UtcDateTime;
            if (owner?.Metadata.Uid is { } uid && lease.Metadata.OwnerReferences?.Any(o => o.Uid == uid) != true)
            {
                lease.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = name, Uid = uid }];
            }

            try
            {
                _lease = _lease is null
                    ? await client.CoordinationV1.CreateNamespacedLeaseAsync(lease, Namespace, cancellationToken: cancellationToken)
                    : await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, Namespace, cancellationToken: cancellationToken);
                return;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.NotFound)
            {
                _lease = null;  // changed or gone meanwhile: read it again
            }
        }
    }

    private async Task<V1Lease?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.ReadNamespacedLeaseAsync(name, Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
