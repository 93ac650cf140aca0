namespace Flotilla.ApiServer.Printing.Printers;

/// <summary>Storage-class names as the core helpers read them: the beta annotation still wins over the field.</summary>
internal static class StorageClasses
{
    public const string BetaClassAnnotation = "volume.beta.kubernetes.io/storage-class";

    public static string Of(IDictionary<string, string>? annotations, string? field) =>
        annotations is not null && annotations.TryGetValue(BetaClassAnnotation, out var annotated) ? annotated ?? "" : field ?? "";
}
