using System.Text;
using Flotilla.Storage.Encryption;
using Flotilla.Storage.Memory;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Storage.Tests.Encryption;

/// <summary>The encrypting decorator over the memory store: what reaches the inner store, and what comes back.</summary>
public sealed class EncryptedStoreTests : IAsyncLifetime
{
    private const string Secret = "/registry/secrets/default/db";
    private const string ConfigMap = "/registry/configmaps/default/db";
    private static readonly EncryptionKey Key1 = new("key1", Enumerable.Repeat((byte)1, 32).ToArray());
    private static readonly EncryptionKey Key2 = new("key2", Enumerable.Repeat((byte)2, 32).ToArray());

    private readonly MemoryStore _inner = new(new FakeTimeProvider());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _inner.DisposeAsync();

    [Fact]
    public async Task Create_ConfiguredPrefix_StoresUpstreamFormatWithoutPlaintext()
    {
        var store = Encrypted(Key1);

        await store.CreateAsync(Secret, V("password=hunter2"));

        var raw = (await _inner.GetAsync(Secret))!.Value;
        Assert.StartsWith("k8s:enc:aesgcm:v1:key1:", S(raw), StringComparison.Ordinal);
        Assert.Equal("k8s:enc:aesgcm:v1:key1:".Length + 12 + "password=hunter2".Length + 16, raw.Length);
        Assert.DoesNotContain("hunter2", S(raw), StringComparison.Ordinal);
        Assert.Equal("password=hunter2", S((await store.GetAsync(Secret))!.Value));
    }

    [Fact]
    public async Task Create_OtherPrefix_StoredAsIs()
    {
        var store = Encrypted(Key1);

        await store.CreateAsync(ConfigMap, V("plain"));
        await store.CreateAsync("/registry/secretsx/default/db", V("plain too"));

        Assert.Equal("plain", S((await _inner.GetAsync(ConfigMap))!.Value));
        Assert.Equal("plain too", S((await _inner.GetAsync("/registry/secretsx/default/db"))!.Value));
    }

    [Fact]
    public async Task EveryReadPath_ReturnsPlaintext()
    {
        var store = Encrypted(Key1);
        var created = await store.CreateAsync(Secret, V("v1"));
        var updated = await store.UpdateAsync(Secret, V("v2"), created.ModRevision);
        await store.CreateAsync("/registry/secrets/default/other", V("o1"));

        Assert.Equal("v1", S(created.Value));
        Assert.Equal("v2", S(updated.Value));
        Assert.Equal("v1", S((await store.GetAsync(Secret, created.ModRevision))!.Value));
        Assert.Equal(["v2", "o1"], (await store.ListAsync("/registry/secrets/", ListOptions.All)).Items.Select(kv => S(kv.Value)));
        Assert.Equal(["v2"], (await store.ListAsync("/registry/secrets/", new ListOptions(Limit: 1))).Items.Select(kv => S(kv.Value)));

        var conflict = await Assert.ThrowsAsync<StoreException>(() => store.UpdateAsync(Secret, V("v3"), created.ModRevision));
        Assert.Equal(StoreError.Conflict, conflict.Error);
        Assert.Equal("v2", S(conflict.Current!.Value));
        var deleteConflict = await Assert.ThrowsAsync<StoreException>(() => store.DeleteAsync(Secret, created.ModRevision));
        Assert.Equal("v2", S(deleteConflict.Current!.Value));

        var deleted = await store.DeleteAsync(Secret, updated.ModRevision);
        Assert.Equal("v2", S(deleted.Value));

        var events = await CollectAsync(store.WatchAsync("/registry/secrets/", created.ModRevision), 3);
        Assert.Equal([(WatchEventType.Put, "v2", "v1"), (WatchEventType.Put, "o1", "<none>"), (WatchEventType.Delete, "", "v2")],
            events.Select(e => (e.Type, S(e.Kv.Value), e.PrevKv is null ? "<none>" : S(e.PrevKv.Value))));
    }

    [Fact]
    public async Task Watch_LiveEvents_AreDecrypted()
    {
        var store = Encrypted(Key1);
        var start = await store.GetCurrentRevisionAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var watch = CollectAsync(store.WatchAsync("/registry/", start, cts.Token), 2);

        await store.CreateAsync(Secret, V("secret"));
        await store.CreateAsync(ConfigMap, V("config"));

        Assert.Equal(["secret", "config"], (await watch).Select(e => S(e.Kv.Value)));
    }

    [Fact]
    public async Task Read_PlaintextWrittenBeforeEncryption_IsReadThenEncryptedOnNextWrite()
    {
        var before = await _inner.CreateAsync(Secret, V("{\"kind\":\"Secret\"}"));
        var store = Encrypted(Key1);

        Assert.Equal("{\"kind\":\"Secret\"}", S((await store.GetAsync(Secret))!.Value));
        await store.UpdateAsync(Secret, V("{\"kind\":\"Secret\",\"v\":2}"), before.ModRevision);

        Assert.StartsWith("k8s:enc:aesgcm:v1:key1:", S((await _inner.GetAsync(Secret))!.Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_PlaintextWithoutIdentityProvider_FailsNamingTheKey()
    {
        await _inner.CreateAsync(Secret, V("{}"));
        var store = Encrypted([Key1], identity: false);

        var e = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync(Secret));

        Assert.Equal(StoreError.Undecryptable, e.Error);
        Assert.Equal($"unable to transform key \"{Secret}\": no matching prefix found", e.Message);
    }

    [Fact]
    public async Task Read_UnknownKeyName_FailsClearly()
    {
        await Encrypted(Key1).CreateAsync(Secret, V("v"));
        var store = Encrypted(Key2);

        var e = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync(Secret));

        Assert.Equal(StoreError.Undecryptable, e.Error);
        Assert.Equal($"unable to transform key \"{Secret}\": no matching key was found for the provided AES transformer", e.Message);
    }

    [Fact]
    public async Task Read_TamperedValue_FailsAuthenticationOnEveryReadPath()
    {
        var store = Encrypted(Key1);
        var created = await store.CreateAsync(Secret, V("value"));
        var raw = (await _inner.GetAsync(Secret))!.Value;
        raw[^1] ^= 0x80;
        await _inner.UpdateAsync(Secret, raw, created.ModRevision);

        var get = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync(Secret));
        var list = await Assert.ThrowsAsync<StoreException>(() => store.ListAsync("/registry/secrets/", ListOptions.All));
        var watch = await Assert.ThrowsAsync<StoreException>(() => CollectAsync(store.WatchAsync("/registry/secrets/", created.ModRevision), 1));

        Assert.All([get, list, watch], e => Assert.Equal(StoreError.Undecryptable, e.Error));
        Assert.Equal($"unable to transform key \"{Secret}\": cipher: message authentication failed", get.Message);
    }

    [Fact]
    public async Task Read_CiphertextCopiedToAnotherKey_FailsAuthentication()
    {
        var store = Encrypted(Key1);
        await store.CreateAsync(Secret, V("value"));
        await _inner.CreateAsync("/registry/secrets/default/copy", (await _inner.GetAsync(Secret))!.Value);

        var e = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("/registry/secrets/default/copy"));

        Assert.Contains("cipher: message authentication failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_EncryptedValueOfResourceNoLongerConfigured_IsRefusedNotReturnedAsPlaintext()
    {
        await Encrypted(Key1).CreateAsync(Secret, V("value"));
        var store = new EncryptedStore(_inner, new ResourceTransformers(new Dictionary<string, IValueTransformer>()));

        var e = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync(Secret));

        Assert.Equal($"unable to transform key \"{Secret}\": identity transformer tried to read encrypted data", e.Message);
    }

    [Fact]
    public async Task Rotation_OldKeyReads_NewFirstKeyWrites_ThenOldKeyCanGo()
    {
        var created = await Encrypted(Key1).CreateAsync(Secret, V("value"));

        // The new key goes first, the old one stays to read what it wrote; a re-write moves the value to the new key.
        var rotating = Encrypted(Key2, Key1);
        Assert.Equal("value", S((await rotating.GetAsync(Secret))!.Value));
        await rotating.UpdateAsync(Secret, V("value"), created.ModRevision);
        Assert.StartsWith("k8s:enc:aesgcm:v1:key2:", S((await _inner.GetAsync(Secret))!.Value), StringComparison.Ordinal);

        Assert.Equal("value", S((await Encrypted([Key2], identity: false).GetAsync(Secret))!.Value));
    }

    [Fact]
    public async Task Create_PlaintextOverLimit_RejectedAsTooLarge()
    {
        var store = Encrypted(Key1);

        var e = await Assert.ThrowsAsync<StoreException>(() => store.CreateAsync(Secret, new byte[StoreLimits.MaxValueBytes + 1]));

        Assert.Equal(StoreError.ValueTooLarge, e.Error);
        Assert.Null(await _inner.GetAsync(Secret));
    }

    private EncryptedStore Encrypted(params EncryptionKey[] keys) => Encrypted(keys, identity: true);

    private EncryptedStore Encrypted(EncryptionKey[] keys, bool identity)
    {
        PrefixTransformer[] providers = identity ? [EncryptionProviders.AesGcm(keys), EncryptionProviders.Identity] : [EncryptionProviders.AesGcm(keys)];
        return new EncryptedStore(_inner, new ResourceTransformers(new Dictionary<string, IValueTransformer>
        {
            ["/registry/secrets/"] = EncryptionProviders.Chain(providers),
        }));
    }

    private static byte[] V(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    private static async Task<List<WatchEvent>> CollectAsync(IAsyncEnumerable<WatchEvent> watch, int count)
    {
        var events = new List<WatchEvent>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var e in watch.WithCancellation(cts.Token))
        {
            events.Add(e);
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
