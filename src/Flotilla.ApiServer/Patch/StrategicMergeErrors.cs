namespace Flotilla.ApiServer.Patch;

/// <summary>Error texts of apimachinery's mergepatch package, which kube-apiserver returns for a bad strategic merge patch.</summary>
internal static class StrategicMergeErrors
{
    public const string BadJsonDoc = "invalid JSON document";
    public const string NoListOfLists = "lists of lists are not supported";
    public const string BadPatchFormatForPrimitiveList = "invalid patch format of primitive list";
    public const string BadPatchFormatForRetainKeys = "invalid patch format of retainKeys";
    public const string BadPatchFormatForSetElementOrderList = "invalid patch format of setElementOrder list";

    public static PatchException NoMergeKey(object? map, string mergeKey) =>
        new($"map: {JsonTree.GoFormat(map)} does not contain declared merge key: {mergeKey}");

    public static PatchException BadArgType(string expectedKind, object? actual) =>
        new($"expected a {expectedKind}, but received a {JsonTree.KindOf(actual)}");

    public static PatchException BadPatchType(object? directive, object? map) =>
        new($"unknown patch type: {JsonTree.GoFormat(directive)} in map: {JsonTree.GoFormat(map)}");
}
