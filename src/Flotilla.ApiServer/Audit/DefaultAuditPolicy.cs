namespace Flotilla.ApiServer.Audit;

/// <summary>
/// Flotilla's audit policy when none is given: probes are not logged, credentials-bearing objects and everything
/// else at Metadata (who did what to which object, and the outcome; never a body). Written to the data dir at first
/// start so an operator can read and edit it.
/// </summary>
public static class DefaultAuditPolicy
{
    public const string Yaml = """
        # Flotilla's default audit policy (audit.k8s.io/v1, as kube-apiserver's --audit-policy-file).
        # The first rule a request matches sets its level: None, Metadata, Request or RequestResponse.
        # Whatever this file says, Secrets are never logged beyond Metadata.
        apiVersion: audit.k8s.io/v1
        kind: Policy
        # One line per request (at ResponseComplete); watches also log ResponseStarted.
        omitStages:
          - RequestReceived
        rules:
          # Health, readiness, version and metrics probes: not logged.
          - level: None
            nonResourceURLs:
              - /healthz*
              - /livez*
              - /readyz*
              - /version
              - /metrics
          # Objects that hold credentials: who touched them, never their contents.
          - level: Metadata
            resources:
              - group: ""
                resources: ["secrets", "configmaps", "serviceaccounts/token"]
              - group: authentication.k8s.io
                resources: ["tokenreviews"]
          # Everything else: who did what to which object, and the outcome.
          - level: Metadata

        """;

    public static AuditPolicy Policy { get; } = AuditPolicyReader.Read(Yaml);

    /// <summary>Writes the default policy to <paramref name="path"/> unless a file is already there (0600).</summary>
    public static void WriteIfMissing(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        file.Write(System.Text.Encoding.UTF8.GetBytes(Yaml));
    }
}
