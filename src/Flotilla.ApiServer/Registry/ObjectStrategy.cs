using System.Reflection;
using System.Text;
using System.Text.Json;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.Api.Serialization;
using Flotilla.Api.Validation;
using Flotilla.Api.Defaults;
using Flotilla.ApiServer.Registry.Validation;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// The strategy every kind starts from: metadata rules shared by all kinds, spec/status split for kinds with a status
/// subresource, generation tracking. A kind's own strategy overrides the typed hooks.
/// </summary>
public class ObjectStrategy<T> : IObjectStrategy
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly PropertyInfo? SpecProperty = typeof(T).GetProperty("Spec");
    private static readonly PropertyInfo? StatusProperty = typeof(T).GetProperty("Status");
    private static readonly KindValidator KindRules = KindValidation.For(typeof(T));

    /// <param name="statusSetsAnnotations">
    /// Status updates may change annotations, as upstream's Deployment and ReplicaSet status strategies let them
    /// (the Deployment controller writes the revision annotation with the status).
    /// </param>
    public ObjectStrategy(ResourceInfo resource, bool tracksGeneration = false, bool allowCreateOnUpdate = false, bool statusSetsAnnotations = false)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.ModelType != typeof(T))
        {
            throw new ArgumentException($"{resource.Kind} decodes to {resource.ModelType.Name}, not {typeof(T).Name}", nameof(resource));
        }

        Resource = resource;
        TracksGeneration = tracksGeneration;
        AllowCreateOnUpdate = allowCreateOnUpdate;
        StatusSetsAnnotations = statusSetsAnnotations;
        StatusStrategy = resource.Subresources.Contains("status") && StatusProperty is not null ? new StatusUpdateStrategy(this) : null;
    }

    public ResourceInfo Resource { get; }

    public bool TracksGeneration { get; }

    public bool AllowCreateOnUpdate { get; }

    public IObjectStrategy? StatusStrategy { get; }

    private bool StatusSetsAnnotations { get; }

    /// <summary>True when status is changed only through the status subresource.</summary>
    protected bool HasStatusSubresource => StatusStrategy is not null;

    /// <summary>Kinds whose creator may set status (upstream: Nodes, registered with their capacity).</summary>
    protected virtual bool KeepsStatusOnCreate => false;

    public IKubernetesObject<V1ObjectMeta> Decode(ReadOnlySpan<byte> json)
    {
        T? obj;
        try
        {
            obj = JsonSerializer.Deserialize<T>(json, KubernetesJsonOptions.Value);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw StatusException.BadRequest($"error decoding {Resource.Kind}: {e.Message}");
        }

        if (obj is null)
        {
            throw StatusException.BadRequest($"error decoding {Resource.Kind}: the body is null");
        }

        obj.Metadata ??= new V1ObjectMeta();
        return obj;
    }

    public byte[] Encode(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        obj.ApiVersion = Resource.ApiVersion;
        obj.Kind = Resource.Kind;

        // Empty metadata lists and maps are not stored, as Go's omitempty drops them upstream: a patch that removes
        // the last owner reference leaves no "ownerReferences": [] behind.
        var meta = obj.Metadata;
        if (meta is not null)
        {
            meta.OwnerReferences = meta.OwnerReferences is { Count: 0 } ? null : meta.OwnerReferences;
            meta.Finalizers = meta.Finalizers is { Count: 0 } ? null : meta.Finalizers;
            meta.Labels = meta.Labels is { Count: 0 } ? null : meta.Labels;
            meta.Annotations = meta.Annotations is { Count: 0 } ? null : meta.Annotations;
        }

        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), KubernetesJsonOptions.Value);
    }

    public void Default(IKubernetesObject<V1ObjectMeta> obj)
    {
        KindDefaults.Apply(obj);
        Default((T)obj);
    }

    public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (HasStatusSubresource && !KeepsStatusOnCreate)
        {
            StatusProperty!.SetValue(obj, null);
        }

        if (TracksGeneration)
        {
            obj.Metadata.Generation = 1;
        }

        PrepareForCreate((T)obj);

        // Defaults inside status (a new PVC's phase) survive the status reset, as they do upstream on read.
        KindDefaults.Apply(obj);
    }

    public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        if (HasStatusSubresource)
        {
            // The status subresource is the only way to change status (as upstream's PrepareForUpdate).
            StatusProperty!.SetValue(obj, StatusProperty.GetValue(old));
        }

        if (TracksGeneration)
        {
            var changed = SpecProperty is not null && !JsonEquals(SpecProperty.GetValue(obj), SpecProperty.GetValue(old));
            obj.Metadata.Generation = (old.Metadata.Generation ?? 1) + (changed ? 1 : 0);
        }

        PrepareForUpdate((T)obj, (T)old);
    }

    public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj)
    {
        var errors = new List<FieldError>();
        errors.AddRange(MetadataValidation.Validate(obj.Metadata, Resource.Namespaced, ValidateName));
        errors.AddRange(KindRules.Validate(obj));
        errors.AddRange(Validate((T)obj));
        return errors;
    }

    public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
    {
        var errors = new List<FieldError>();
        errors.AddRange(MetadataValidation.ValidateUpdate(obj.Metadata, old.Metadata, Resource.Namespaced));

        // Upstream's ValidateXUpdate includes the new object's own checks, so Validate is not run again here.
        errors.AddRange(KindRules.ValidateUpdate(obj, old));
        errors.AddRange(ValidateUpdate((T)obj, (T)old));
        return errors;
    }

    public virtual IReadOnlyList<string> ValidateName(string name, bool prefix) => NameValidation.NameIsDnsSubdomain(name, prefix);

    protected virtual void Default(T obj)
    {
    }

    protected virtual void PrepareForCreate(T obj)
    {
    }

    protected virtual void PrepareForUpdate(T obj, T old)
    {
    }

    protected virtual IEnumerable<FieldError> Validate(T obj) => [];

    protected virtual IEnumerable<FieldError> ValidateUpdate(T obj, T old) => [];

    protected static bool JsonEquals(object? a, object? b) =>
        (a is null && b is null) ||
        (a is not null && b is not null && JsonSerializer.SerializeToUtf8Bytes(a, a.GetType(), KubernetesJsonOptions.Value).AsSpan()
            .SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b, b.GetType(), KubernetesJsonOptions.Value)));

    /// <summary>Updates through <c>/status</c>: only status changes; spec and metadata stay as stored (ResetObjectMetaForStatus).</summary>
    private sealed class StatusUpdateStrategy(ObjectStrategy<T> main) : IObjectStrategy
    {
        public ResourceInfo Resource => main.Resource;

        public bool TracksGeneration => false;

        public bool AllowCreateOnUpdate => false;

        public IObjectStrategy? StatusStrategy => null;

        public IKubernetesObject<V1ObjectMeta> Decode(ReadOnlySpan<byte> json) => main.Decode(json);

        public byte[] Encode(IKubernetesObject<V1ObjectMeta> obj) => main.Encode(obj);

        public void Default(IKubernetesObject<V1ObjectMeta> obj) => main.Default(obj);

        public void PrepareForCreate(IKubernetesObject<V1ObjectMeta> obj) => throw new InvalidOperationException("status is never created");

        public void PrepareForUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old)
        {
            SpecProperty?.SetValue(obj, SpecProperty.GetValue(old));
            var meta = obj.Metadata;
            var was = old.Metadata;
            meta.Labels = was.Labels;
            if (!main.StatusSetsAnnotations)
            {
                meta.Annotations = was.Annotations;
            }

            meta.Finalizers = was.Finalizers;
            meta.OwnerReferences = was.OwnerReferences;
            meta.DeletionTimestamp = was.DeletionTimestamp;
            meta.DeletionGracePeriodSeconds = was.DeletionGracePeriodSeconds;
            meta.Generation = was.Generation;
            meta.ManagedFields = was.ManagedFields;
        }

        public IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> obj) => main.Validate(obj);

        public IReadOnlyList<FieldError> ValidateUpdate(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> old) =>
            [.. MetadataValidation.ValidateUpdate(obj.Metadata, old.Metadata, Resource.Namespaced)];

        public IReadOnlyList<string> ValidateName(string name, bool prefix) => main.ValidateName(name, prefix);
    }
}
