using System.Runtime.CompilerServices;
using System.Text;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using EtcdEvent = Mvccpb.Event;
using EtcdKeyValue = Mvccpb.KeyValue;
using WatchService = Etcdserverpb.Watch;

namespace Flotilla.Storage.Etcd;

/// <summary>
/// The store over a real etcd cluster (v3.4+): every operation is one etcd request (a Txn for guarded writes), so
/// revisions, compaction, leases and watches are etcd's own. Keys live under <see cref="EtcdStoreOptions.KeyPrefix"/>.
/// </summary>
public sealed class EtcdStore : IStore
{
    private readonly EtcdKeys _keys;
    private readonly string _endpoints;
    private readonly TimeSpan _timeout;
    private readonly ServiceProvider _services;
    private readonly GrpcChannel _channel;
    private readonly KV.KVClient _kv;
    private readonly WatchService.WatchClient _watch;
    private readonly Lease.LeaseClient _lease;
    // Never disposed: watch enumerations may still link to it after DisposeAsync (it owns no timer).
    private readonly CancellationTokenSource _closed = new();

    public EtcdStore(EtcdStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoints = options.Endpoints.Select(ParseEndpoint).ToList();
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one etcd endpoint is required", nameof(options));
        }

        var secure = endpoints[0].Scheme == Uri.UriSchemeHttps;
        if (endpoints.Any(e => e.Scheme == Uri.UriSchemeHttps != secure))
        {
            throw new ArgumentException("etcd endpoints must be all http or all https", nameof(options));
        }

        _keys = new EtcdKeys(options.KeyPrefix);
        _endpoints = string.Join(',', options.Endpoints);
        _timeout = options.RequestTimeout;

        // Several members: balance over the reachable ones, as etcd's own client does.
        var services = new ServiceCollection();
        services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => endpoints.Select(e => new BalancerAddress(e.Host, e.Port))));
        _services = services.BuildServiceProvider();
        _channel = GrpcChannel.ForAddress("static:///etcd", new GrpcChannelOptions
        {
            Credentials = secure ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure,
            HttpHandler = new SocketsHttpHandler
            {
                ConnectTimeout = _timeout,
                EnableMultipleHttp2Connections = true,
                // Watches are idle for long stretches: pings notice a member that went away without closing the connection.
                KeepAlivePingDelay = TimeSpan.FromSeconds(10),
                KeepAlivePingTimeout = _timeout,
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            },
            // Lists and watch batches of 1.5 MiB objects easily pass gRPC's default 4 MiB.
            MaxReceiveMessageSize = null,
            MaxReconnectBackoff = TimeSpan.FromSeconds(5),
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
            ServiceProvider = _services,
            ThrowOperationCanceledOnCancellation = true,
        });
        _kv = new KV.KVClient(_channel);
        _watch = new WatchService.WatchClient(_channel);
        _lease = new Lease.LeaseClient(_channel);
    }

    public async Task<long> GetCurrentRevisionAsync(CancellationToken cancellationToken = default)
    {
        var response = await RangeAsync(new RangeRequest { Key = Encode("/"), CountOnly = true }, 0, cancellationToken);
        return response.Header.Revision;
    }

    public async Task<KeyValue?> GetAsync(string key, long revision = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var response = await RangeAsync(new RangeRequest { Key = Encode(key), Revision = revision }, revision, cancellationToken);
        return response.Kvs.Count == 0 ? null : Decode(response.Kvs[0]);
    }

    public async Task<ListResult> ListAsync(string prefix, ListOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentNullException.ThrowIfNull(options);
        var start = options.StartKey is { } s && string.CompareOrdinal(s, prefix) > 0 ? s : prefix;
        var request = new RangeRequest
        {
            Key = Encode(start),
            RangeEnd = Encode(KeyRange.PrefixEnd(prefix)),
            Revision = options.Revision,
            Limit = Math.Max(options.Limit, 0),
        };
        if (!KeyRange.Matches(start, prefix))
        {
            // Past the prefix: nothing left, but the revision is still checked and reported.
            request.Key = Encode(prefix);
            request.CountOnly = true;
        }

        var response = await RangeAsync(request, options.Revision, cancellationToken);
        var items = request.CountOnly ? [] : response.Kvs.Select(Decode).ToList();
        // Page boundaries are keys: the next page starts right after the last key of this one.
        var next = response.More && items.Count > 0 ? items[^1].Key + "\0" : null;
        return new ListResult(items, options.Revision != 0 ? options.Revision : response.Header.Revision, next);
    }

    public async Task<KeyValue> CreateAsync(string key, byte[] value, long lease = 0, CancellationToken cancellationToken = default)
    {
        StoreLimits.CheckValue(key, value);
        var k = Encode(key);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = k, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = k, Value = ByteString.CopyFrom(value), Lease = lease } });

        var response = await TxnAsync(txn, lease, cancellationToken);
        if (!response.Succeeded)
        {
            throw StoreException.KeyExists(key);
        }

        var revision = response.Header.Revision;
        return new KeyValue(key, [.. value], revision, revision, lease);
    }

    public async Task<KeyValue> UpdateAsync(string key, byte[] value, long expectedModRevision, long lease = 0, CancellationToken cancellationToken = default)
    {
        StoreLimits.CheckValue(key, value);
        var k = Encode(key);
        var txn = GuardedTxn(k, expectedModRevision);
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = k, Value = ByteString.CopyFrom(value), Lease = lease, PrevKv = true } });

        var response = await TxnAsync(txn, lease, cancellationToken);
        if (!response.Succeeded)
        {
            throw GuardFailed(key, expectedModRevision, response);
        }

        var prev = response.Responses[0].ResponsePut.PrevKv;
        return new KeyValue(key, [.. value], prev.CreateRevision, response.Header.Revision, lease);
    }

    public async Task<KeyValue> DeleteAsync(string key, long expectedModRevision = 0, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var k = Encode(key);
        var txn = GuardedTxn(k, expectedModRevision);
        txn.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = k, PrevKv = true } });

        var response = await TxnAsync(txn, 0, cancellationToken);
        if (!response.Succeeded)
        {
            throw GuardFailed(key, expectedModRevision, response);
        }

        return Decode(response.Responses[0].ResponseDeleteRange.PrevKvs[0]);
    }

    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string prefix,
        long fromRevision,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        var from = fromRevision != 0 ? fromRevision : await GetCurrentRevisionAsync(cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        using var call = OpenWatch(stop.Token);
        // Starting AT `from` (its own events are skipped below) makes etcd answer "compacted" exactly when the changes
        // after `from` are gone: etcd keeps the compaction revision itself, so `from + 1` would pass one revision early.
        var create = new WatchCreateRequest
        {
            Key = Encode(prefix),
            RangeEnd = Encode(KeyRange.PrefixEnd(prefix)),
            StartRevision = from,
            PrevKv = true,
        };
        await CallWatchAsync(() => call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, stop.Token), cancellationToken);

        while (true)
        {
            var response = await CallWatchAsync(() => ReadAsync(call.ResponseStream, stop.Token), cancellationToken);
            if (response.CompactRevision != 0)
            {
                throw StoreException.Compacted(from, response.CompactRevision);
            }

            if (response.Canceled)
            {
                throw new StoreException(StoreError.Unavailable, $"etcd at {_endpoints} cancelled the watch on {prefix}: {response.CancelReason}");
            }

            if (response.Created && from > response.Header.Revision)
            {
                // A lagging member may not have applied `from` yet: only a linearizable read tells a real future revision.
                var current = await GetCurrentRevisionAsync(cancellationToken);
                if (from > current)
                {
                    throw StoreException.FutureRevision(from, current);
                }
            }

            foreach (var e in response.Events)
            {
                if (e.Kv.ModRevision > from)
                {
                    yield return Decode(e);
                }
            }
        }
    }

    public async Task CompactAsync(long revision, CancellationToken cancellationToken = default)
    {
        if (revision <= 0)
        {
            throw StoreException.Compacted(revision, 0);
        }

        try
        {
            await _kv.CompactAsync(new CompactionRequest { Revision = revision }, Options(cancellationToken));
        }
        catch (RpcException e)
        {
            throw Translate(e, revision, 0);
        }
    }

    public async Task<long> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        // etcd counts in whole seconds and raises short TTLs to its minimum (2 s with default election settings).
        var seconds = Math.Max(1, (long)Math.Ceiling(ttl.TotalSeconds));
        LeaseGrantResponse response;
        try
        {
            response = await _lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = seconds }, Options(cancellationToken));
        }
        catch (RpcException e)
        {
            throw Translate(e, 0, 0);
        }

        return string.IsNullOrEmpty(response.Error)
            ? response.ID
            : throw new StoreException(StoreError.Unavailable, $"etcd at {_endpoints} refused a lease: {response.Error}");
    }

    public async Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken = default)
    {
        try
        {
            await _lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, Options(cancellationToken));
        }
        catch (RpcException e)
        {
            throw Translate(e, 0, lease);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        _channel.Dispose();
        await _services.DisposeAsync();
    }

    private CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + _timeout, cancellationToken: cancellationToken);

    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse> OpenWatch(CancellationToken cancellationToken)
    {
        try
        {
            return _watch.Watch(cancellationToken: cancellationToken);
        }
        catch (ObjectDisposedException e)
        {
            throw Closed(e);
        }
    }

    private async Task<RangeResponse> RangeAsync(RangeRequest request, long revision, CancellationToken cancellationToken)
    {
        try
        {
            return await _kv.RangeAsync(request, Options(cancellationToken));
        }
        catch (RpcException e)
        {
            throw Translate(e, revision, 0);
        }
        catch (ObjectDisposedException e)
        {
            throw Closed(e);
        }
    }

    private async Task<TxnResponse> TxnAsync(TxnRequest request, long lease, CancellationToken cancellationToken)
    {
        try
        {
            return await _kv.TxnAsync(request, Options(cancellationToken));
        }
        catch (RpcException e)
        {
            throw Translate(e, 0, lease);
        }
        catch (ObjectDisposedException e)
        {
            throw Closed(e);
        }
    }

    /// <summary>Runs one step of a watch stream, telling the store closing and etcd failing from the caller cancelling.</summary>
    private async Task<T> CallWatchAsync<T>(Func<Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step();
        }
        catch (RpcException e)
        {
            throw Translate(e, 0, 0);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw Closed(e);
        }
    }

    private Task<bool> CallWatchAsync(Func<Task> step, CancellationToken cancellationToken) =>
        CallWatchAsync(
            async () =>
            {
                await step();
                return true;
            },
            cancellationToken);

    private async Task<WatchResponse> ReadAsync(IAsyncStreamReader<WatchResponse> stream, CancellationToken cancellationToken) =>
        await stream.MoveNext(cancellationToken)
            ? stream.Current
            : throw new StoreException(StoreError.Unavailable, $"etcd at {_endpoints} ended the watch stream");

    /// <summary>A txn whose compares hold when the key exists (at <paramref name="expectedModRevision"/> unless 0); else it reads the key.</summary>
    private static TxnRequest GuardedTxn(ByteString key, long expectedModRevision)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater, Version = 0 });
        if (expectedModRevision != 0)
        {
            txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = expectedModRevision });
        }

        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = key } });
        return txn;
    }

    private StoreException GuardFailed(string key, long expectedModRevision, TxnResponse response)
    {
        var current = response.Responses[0].ResponseRange.Kvs;
        return current.Count == 0
            ? StoreException.NotFound(key)
            : StoreException.Conflict(key, expectedModRevision, Decode(current[0]));
    }

    private StoreException Translate(RpcException e, long revision, long lease) => EtcdErrors.Translate(e, _endpoints, revision, lease);

    private StoreException Closed(Exception inner) => new(StoreError.Unavailable, $"store for etcd at {_endpoints} closed", inner: inner);

    private ByteString Encode(string key) => _keys.Encode(key);

    private KeyValue Decode(EtcdKeyValue kv) => _keys.Decode(kv);

    private WatchEvent Decode(EtcdEvent e) => _keys.Decode(e);

    private static Uri ParseEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"etcd endpoint {endpoint} is not an http(s) URL such as http://127.0.0.1:2379", nameof(endpoint));
}
