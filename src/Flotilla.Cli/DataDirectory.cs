namespace Flotilla.Cli;

/// <summary>
/// The layout of a data dir, and its lock: one Flotilla per data dir. The lock is an flock on <c>flotilla.lock</c>,
/// released by the kernel when the process dies, so a crash never leaves a stale lock.
/// </summary>
public sealed class DataDirectory : IDisposable
{
    private FileStream? _lock;

    /// <param name="tlsDir">The cluster's CA, keys and encryption config, when kept outside the data dir (API servers of one cluster share them).</param>
    public DataDirectory(string path, string? tlsDir = null)
    {
        Root = Path.GetFullPath(path);
        TlsDir = Path.GetFullPath(tlsDir ?? Path.Combine(Root, "tls"));
    }

    public string Root { get; }

    public string LockFile => Path.Combine(Root, "flotilla.lock");

    public string ServerDir => Path.Combine(Root, "server");

    public string SqlitePath => Path.Combine(ServerDir, "db", "state.db");

    public string Kubeconfig => Path.Combine(Root, "kubeconfig");

    /// <summary>Image archives a real node imports at start (k3s' air-gap images).</summary>
    public string ImagesDir => Path.Combine(Root, "images");

    /// <summary>Where this data dir's nodes keep local-path volumes.</summary>
    public string StorageDir => Path.Combine(Root, "storage");

    public string TlsDir { get; }

    /// <summary>The data dirs of <c>up --servers N</c>'s other API servers, one per server.</summary>
    public string ServersDir => Path.Combine(Root, "servers");

    /// <summary>The managed etcd cluster's members (<c>--store etcd</c> without endpoints).</summary>
    public string EtcdDir => Path.Combine(Root, "etcd");

    /// <summary>A joined node's CA and certificates (kubelet's pki dir), one directory per node name.</summary>
    public string NodePkiDir(string nodeName) => Path.Combine(Root, "agent", nodeName, "pki");

    public string AuditLog => Path.Combine(Root, "audit.log");

    public string AuditPolicy => Path.Combine(Root, "audit-policy.yaml");

    /// <summary>The keys that encrypt secrets at rest: without this file the stored secrets cannot be read.</summary>
    public string EncryptionConfig => Path.Combine(TlsDir, "encryption-config.yaml");

    /// <summary>Creates the directory and takes its lock; fails with a message naming the holder's lock file.</summary>
    public void Lock()
    {
        try
        {
            Directory.CreateDirectory(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirectoryException($"cannot use data dir {Root}: {e.Message}");
        }

        try
        {
            _lock = new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataDirectoryException($"cannot use data dir {Root}: {e.Message}");
        }
        catch (IOException)
        {
            throw new DataDirectoryException($"data dir {Root} is in use by another flotilla (lock held on {LockFile})");
        }

        _lock.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        _lock.Write(pid);
        _lock.Flush();
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }
}
