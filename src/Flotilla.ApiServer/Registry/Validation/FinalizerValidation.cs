using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// Upstream validateKubeFinalizerName, which core's ValidateObjectMeta adds for every built-in kind: a finalizer
/// without a domain must be one of the standard ones.
/// </summary>
public static class FinalizerValidation
{
    private static readonly HashSet<string> Standard = ["kubernetes", "orphan", "foregroundDeletion"];

    public static IEnumerable<FieldError> KubeFinalizerName(string finalizer, FieldPath path) =>
        !finalizer.Contains('/', StringComparison.Ordinal) && !Standard.Contains(finalizer)
            ? [FieldError.Invalid(path, finalizer, "name is neither a standard finalizer name nor is it fully qualified")]
            : [];

    /// <summary>metadata.finalizers[i] of any built-in object (the qualified-name format is checked with the metadata).</summary>
    public static IEnumerable<FieldError> Metadata(IList<string>? finalizers) =>
        (finalizers ?? []).SelectMany((f, i) => KubeFinalizerName(f, FieldPath.Root("metadata").Child("finalizers").Index(i)));

    /// <summary>A namespace's spec.finalizers (upstream reports them at the list, not the item).</summary>
    public static IEnumerable<FieldError> Namespace(IList<string>? finalizers, FieldPath path) =>
        (finalizers ?? []).SelectMany(f => NameValidation.IsQualifiedName(f).Select(m => FieldError.Invalid(path, f, m)).Concat(KubeFinalizerName(f, path)));
}
