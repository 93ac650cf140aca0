namespace Flotilla.ApiServer.Printing;

/// <summary>Columns many kinds share; descriptions are the API field docs kube-apiserver v1.32 sends.</summary>
internal static class CommonColumns
{
    public const string NameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    public const string CreationTimestampDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    public static TableColumn Name { get; } = new("Name", "string", "name", NameDescription, 0);

    public static TableColumn Age { get; } = TableColumn.String("Age", CreationTimestampDescription);

    public static TableColumn Containers { get; } =
        TableColumn.String("Containers", "Names of each container in the template.", priority: 1);

    public static TableColumn Images { get; } =
        TableColumn.String("Images", "Images referenced by each container in the template.", priority: 1);
}
