namespace Flotilla.ApiServer.Auth.Node;

/// <summary>The kinds of objects the Node authorizer's graph relates to nodes (upstream's vertexType).</summary>
public enum VertexType
{
    ConfigMap,
    Node,
    Pod,
    PersistentVolumeClaim,
    PersistentVolume,
    ResourceClaim,
    ResourceSlice,
    Secret,
    ServiceAccount,
    VolumeAttachment,
}
