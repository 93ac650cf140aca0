namespace Flotilla.Api.Volumes;

/// <summary>
/// The names the default <c>local-path</c> storage is known by, shared by the API server (which creates the class),
/// the kubelet (which says where its node keeps volumes) and the provisioner.
/// </summary>
public static class LocalPath
{
    public const string ClassName = "local-path";
    public const string Provisioner = "flotilla.dev/local-path";

    /// <summary>On a Node: the directory its local-path volumes are made under (the node's data dir's <c>storage/</c>).</summary>
    public const string StorageRootAnnotation = "flotilla.dev/local-storage-path";

    /// <summary>The root of a node that does not say (the default data dir's).</summary>
    public const string DefaultRoot = "/var/lib/flotilla/storage";
}
