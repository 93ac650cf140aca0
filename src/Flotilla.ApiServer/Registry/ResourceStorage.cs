using System.Globalization;
using System.Runtime.CompilerServices;
using Flotilla.Api;
using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Registry.Conversion;
using Flotilla.Storage;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Registry;

/// <summary>
/// The generic REST storage of one resource over the store (upstream's genericregistry.Store): create, get, update
/// with optimistic concurrency, graceful and finalizer-aware delete. Every kind goes through this one class; what
/// differs per kind lives in its <see cref="IObjectStrategy"/>.
/// </summary>
public sealed partial class ResourceStorage
{
    private const int MaxConflictRetries = 16;
    private readonly IStore _store;
    private readonly TimeProvider _time;
    private readonly NamespaceLifecycle _namespaces;
    private readonly IDeletionPolicy _deletion;
    private readonly IObjectTtl? _ttl;
    private readonly IStorageHooks? _hooks;
    private readonly StoredForm _form;
    private long _writes;

    public ResourceStorage(IObjectStrategy strategy, IStore store, TimeProvider time, NamespaceLifecycle namespaces, IDeletionPolicy? deletion = null, IObjectTtl? ttl = null, IStorageHooks? hooks = null, StorageVersion? storedAs = null)
    {
        Strategy = strategy;
        _store = store;
        _time = time;
        _namespaces = namespaces;
        _deletion = deletion ?? DeletionPolicy.Default;
        _ttl = ttl;
        _hooks = hooks;
        _form = new StoredForm(strategy, storedAs);
    }

    public IObjectStrategy Strategy { get; }

    public ResourceInfo Resource => Strategy.Resource;

    /// <summary>
    /// How many writes this server has made to the resource: readers of the watch cache compare it with the count at
    /// their last catch-up to give read-your-writes without waiting on every read.
    /// </summary>
    public long Writes => Interlocked.Read(ref _writes);

    public async Task<StoredObject> GetAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        var kv = await _store.GetAsync(Resource.StorageKey(ns, name), cancellationToken: cancellationToken)
            ?? throw NotFound(name);
        return Decode(kv);
    }

    /// <summary>
    /// Lists from the store at one revision (pinned by the continue token across pages), filtering as it goes and
    /// reading further pages until the limit is filled, as upstream's etcd3 store does.
    /// </summary>
    public async Task<ListPage> ListAsync(string? ns, ListRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (items, revision, token) = await StorePaging.ListAsync(_store, Resource.NamespacePrefix(ns), request, kv =>
        {
            var obj = Decode(kv).Object;
            return request.Filter is null || request.Filter(obj) ? obj : null;
        }, cancellationToken);
        return new ListPage(items, revision, token);
    }

    /// <summary>
    /// The unfiltered list as stored JSON with each item's resourceVersion set, without decoding the objects: the fast
    /// path for plain JSON lists (a 100k-pod LIST).
    /// </summary>
    public async Task<(IReadOnlyList<byte[]> Items, long Revision, string? Continue)> ListRawAsync(string? ns, ListRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Filter is not null)
        {
            throw new ArgumentException("a raw list cannot filter", nameof(request));
        }

        return await StorePaging.ListAsync(_store, Resource.NamespacePrefix(ns), request, kv => _form.ServedJson(kv), cancellationToken);
    }

    /// <summary>Every change to this resource (in a namespace, or all) after <paramref name="fromRevision"/>, decoded.</summary>
    public async IAsyncEnumerable<ObjectChange> WatchAsync(string? ns, long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _store.WatchAsync(Resource.NamespacePrefix(ns), fromRevision, cancellationToken))
        {
            var previous = e.PrevKv is null ? null : Decode(e.PrevKv).Object;
            if (e.Type == Storage.WatchEventType.Delete)
            {
                if (previous is null)
                {
                    continue;
                }

                previous.Metadata.ResourceVersion = e.Revision.ToString(CultureInfo.InvariantCulture);
                yield return new ObjectChange(ChangeType.Deleted, () => previous, null, e.Revision);
            }
            else
            {
                var current = Decode(e.Kv).Object;
                yield return new ObjectChange(previous is null ? ChangeType.Added : ChangeType.Modified, () => current, previous is null ? null : () => previous, e.Revision);
            }
        }
    }

    public static long ParseResourceVersion(string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion))
        {
            return 0;
        }

        return long.TryParse(resourceVersion, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw StatusException.BadRequest($"invalid resource version \"{resourceVersion}\"");
    }

    /// <summary>The stored object's JSON as served, at <paramref name="revision"/> (its own by default), decoding only when it must.</summary>
    public byte[] ServedJson(KeyValue kv, long? revision = null) => _form.ServedJson(kv, revision);

    public StoredObject Decode(KeyValue kv) => _form.Decode(kv);

    public async Task<WriteResult> CreateAsync(string? ns, IKubernetesObject<V1ObjectMeta> obj, bool dryRun, AdmissionContext? admission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var meta = obj.Metadata;
        SetNamespace(meta, ns);
        if (Resource.Namespaced)
        {
            await _namespaces.CheckCreateAsync(Resource, meta.NamespaceProperty, meta.Name ?? meta.GenerateName ?? string.Empty, cancellationToken);
        }

        Strategy.Default(obj);
        if (admission is not null)
        {
            await admission.MutateAsync(AdmissionOperation.Create, Resource, obj, null, dryRun, cancellationToken);
        }

        meta.Uid = Guid.NewGuid().ToString();
        meta.CreationTimestamp = Timestamps.Now(_time);
        meta.ResourceVersion = null;
        meta.DeletionTimestamp = null;
        meta.DeletionGracePeriodSeconds = null;
        meta.SelfLink = null;
        meta.Generation = null;
        Strategy.PrepareForCreate(obj);
        if (Strategy is IStampsRequester stamps)
        {
            stamps.StampRequester(obj, admission?.User ?? AdmissionContext.Unsecured);
        }

        if (string.IsNullOrEmpty(meta.Name) && !string.IsNullOrEmpty(meta.GenerateName))
        {
            meta.Name = NameGenerator.Generate(meta.GenerateName);
        }

        ThrowIfInvalid(obj, Strategy.Validate(obj));
        ThrowIfInvalid(obj, _form.ValidateStored(Strategy, obj));
        if (admission is not null)
        {
            await admission.ValidateAsync(AdmissionOperation.Create, Resource, obj, null, dryRun, cancellationToken);
        }

        var undo = _hooks?.BeforeCreate(obj);
        if (dryRun)
        {
            undo?.Invoke();
            return new WriteResult(obj, Created: true);
        }

        try
        {
            var bytes = _form.Encode(Strategy, obj);
            var kv = await _store.CreateAsync(Resource.StorageKey(meta.NamespaceProperty, meta.Name!), bytes, _ttl is null ? 0 : await _ttl.LeaseAsync(cancellationToken), cancellationToken);
            Wrote();
            meta.ResourceVersion = kv.ModRevision.ToString(CultureInfo.InvariantCulture);
            return new WriteResult(obj, Created: true, _form.AsServed(bytes, kv.ModRevision));
        }
        catch (StoreException e) when (e.Error == StoreError.KeyExists)
        {
            undo?.Invoke();
            throw StatusException.AlreadyExists(Resource.Group, Resource.Plural, meta.Name!);
        }
        catch
        {
            undo?.Invoke();
            throw;
        }
    }

    /// <summary>
    /// Updates through <paramref name="strategy"/> (the main one or the status subresource's): <paramref name="update"/>
    /// maps the current object to the new one and runs again after a write conflict (GuaranteedUpdate). A new object
    /// carrying a resourceVersion must match the current one, or the request fails with 409 Conflict.
    /// </summary>
    public async Task<WriteResult> UpdateAsync(
        string? ns,
        string name,
        IObjectStrategy strategy,
        Func<IKubernetesObject<V1ObjectMeta>?, IKubernetesObject<V1ObjectMeta>> update,
        bool dryRun,
        AdmissionContext? admission,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(update);
        var key = Resource.StorageKey(ns, name);
        for (var attempt = 0; ; attempt++)
        {
            var kv = await _store.GetAsync(key, cancellationToken: cancellationToken);
            if (kv is null)
            {
                if (!strategy.AllowCreateOnUpdate)
                {
                    throw NotFound(name);
                }

                var created = update(null);
                CheckIdentity(created, ns, name);
                return await CreateAsync(ns, created, dryRun, admission, cancellationToken);
            }

            // Two decodes: update functions may change what they are given, and the strategy compares with the original.
            var current = Decode(kv);
            var obj = update(Decode(kv).Object);
            CheckIdentity(obj, ns, name);
            var meta = obj.Metadata;
            if (!string.IsNullOrEmpty(meta.ResourceVersion) && meta.ResourceVersion != current.Object.Metadata.ResourceVersion)
            {
                throw StatusException.StaleObject(Resource.Group, Resource.Plural, name);
            }

            strategy.Default(obj);
            if (admission is not null)
            {
                await admission.MutateAsync(AdmissionOperation.Update, Resource, obj, current.Object, dryRun, cancellationToken);
            }

            var old = current.Object.Metadata;
            meta.Uid ??= old.Uid;
            meta.CreationTimestamp ??= old.CreationTimestamp;
            meta.DeletionTimestamp = old.DeletionTimestamp;
            meta.DeletionGracePeriodSeconds = old.DeletionGracePeriodSeconds;
            meta.SelfLink = null;

            // Clients cannot set the generation (upstream BeforeUpdate); kinds that track it count from here.
            meta.Generation = old.Generation;
            strategy.PrepareForUpdate(obj, current.Object);
            ThrowIfInvalid(obj, strategy.ValidateUpdate(obj, current.Object));
            ThrowIfInvalid(obj, _form.ValidateStored(strategy, obj));
            if (admission is not null)
            {
                await admission.ValidateAsync(AdmissionOperation.Update, Resource, obj, current.Object, dryRun, cancellationToken);
            }

            var undo = _hooks?.BeforeUpdate(obj, current.Object);
            if (dryRun)
            {
                undo?.Invoke();
                meta.ResourceVersion = old.ResourceVersion;
                return new WriteResult(obj, Created: false);
            }

            try
            {
                if (_deletion.DeleteOnUpdate(obj))
                {
                    // The last finalizer is gone from an object being deleted: the update completes the deletion.
                    await _store.DeleteAsync(key, kv.ModRevision, cancellationToken);
                    Wrote();
                    undo?.Invoke();
                    _hooks?.AfterDelete(current.Object);
                    meta.ResourceVersion = old.ResourceVersion;
                    return new WriteResult(obj, Created: false);
                }

                var bytes = _form.Encode(strategy, obj);
                var stored = await _store.UpdateAsync(key, bytes, kv.ModRevision, kv.Lease, cancellationToken);
                Wrote();
                _hooks?.AfterUpdate(obj, current.Object);
                meta.ResourceVersion = stored.ModRevision.ToString(CultureInfo.InvariantCulture);
                return new WriteResult(obj, Created: false, _form.AsServed(bytes, stored.ModRevision));
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict or StoreError.NotFound && attempt < MaxConflictRetries)
            {
                // Someone wrote in between: run the update again on the new current object.
                undo?.Invoke();
            }
            catch (StoreException e) when (e.Error is StoreError.Conflict)
            {
                undo?.Invoke();
                throw StatusException.StaleObject(Resource.Group, Resource.Plural, name);
            }
            catch
            {
                undo?.Invoke();
                throw;
            }
        }
    }

    private void Wrote() => Interlocked.Increment(ref _writes);

    private void SetNamespace(V1ObjectMeta meta, string? ns)
    {
        if (!Resource.Namespaced)
        {
            meta.NamespaceProperty = null;
            return;
        }

        if (!string.IsNullOrEmpty(meta.NamespaceProperty) && meta.NamespaceProperty != ns)
        {
            throw StatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        meta.NamespaceProperty = ns;
    }

    private void CheckIdentity(IKubernetesObject<V1ObjectMeta> obj, string? ns, string name)
    {
        SetNamespace(obj.Metadata, ns);
        if (string.IsNullOrEmpty(obj.Metadata.Name))
        {
            obj.Metadata.Name = name;
        }
        else if (obj.Metadata.Name != name)
        {
            throw StatusException.BadRequest($"the name of the object ({obj.Metadata.Name}) does not match the name on the URL ({name})");
        }
    }

    private void ThrowIfInvalid(IKubernetesObject<V1ObjectMeta> obj, IReadOnlyList<Api.Validation.FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(Resource.Group, Resource.Kind, obj.Metadata.Name ?? obj.Metadata.GenerateName ?? string.Empty, errors);
        }
    }

    private StatusException NotFound(string name) => StatusException.NotFound(Resource.Group, Resource.Plural, name);
}
