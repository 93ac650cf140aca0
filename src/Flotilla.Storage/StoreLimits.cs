namespace Flotilla.Storage;

public static class StoreLimits
{
    /// <summary>1.5 MiB, etcd's default request limit and so Kubernetes' object size limit.</summary>
    public const int MaxValueBytes = 1536 * 1024;

    public static void CheckValue(string key, byte[] value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxValueBytes)
        {
            throw new StoreException(
                StoreError.ValueTooLarge,
                $"value for key {key} is {value.Length} bytes, over the limit of {MaxValueBytes} bytes");
        }
    }
}
