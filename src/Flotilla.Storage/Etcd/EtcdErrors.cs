using Grpc.Core;

namespace Flotilla.Storage.Etcd;

/// <summary>etcd's failures as store errors. etcd reports them as gRPC statuses whose details name the cause.</summary>
internal static class EtcdErrors
{
    public static StoreException Translate(RpcException e, string endpoints, long revision, long lease)
    {
        var detail = e.Status.Detail;
        if (detail.Contains("required revision has been compacted", StringComparison.Ordinal))
        {
            return new StoreException(StoreError.Compacted, $"revision {revision} has been compacted", inner: e);
        }

        if (detail.Contains("required revision is a future revision", StringComparison.Ordinal))
        {
            return new StoreException(StoreError.FutureRevision, $"revision {revision} is newer than the current revision", inner: e);
        }

        if (detail.Contains("requested lease not found", StringComparison.Ordinal))
        {
            return StoreException.LeaseNotFound(lease);
        }

        if (detail.Contains("request is too large", StringComparison.Ordinal))
        {
            return new StoreException(
                StoreError.ValueTooLarge,
                $"etcd at {endpoints} rejected the request as too large: its --max-request-bytes must exceed {StoreLimits.MaxValueBytes} bytes",
                inner: e);
        }

        return e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded
            ? new StoreException(StoreError.Unavailable, $"etcd at {endpoints} is unreachable: {detail}", inner: e)
            : new StoreException(StoreError.Unavailable, $"etcd at {endpoints} failed: {e.StatusCode}: {detail}", inner: e);
    }
}
