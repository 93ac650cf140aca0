namespace Flotilla.ApiServer.Patch;

/// <summary>Upstream's <c>+listType</c> marker, published as <c>x-kubernetes-list-type</c>.</summary>
public enum ListType
{
    Atomic,
    Set,
    Map,
}
