using System.CommandLine;
using System.Net;

namespace Flotilla.Cli;

/// <summary>The options every command that runs the control plane shares: where its data lives, its store, where it listens.</summary>
public sealed class ServerOptions
{
    public Option<string> DataDir { get; } = DataDirOption();

    public Option<string> Store { get; } = new Option<string>("--store")
    {
        Description = "The store: sqlite (embedded, the default) or etcd (--etcd-endpoints)",
        DefaultValueFactory = _ => "sqlite",
    }.AcceptOnlyFromAmong("sqlite", "etcd");

    public Option<string[]> EtcdEndpoints { get; } = new("--etcd-endpoints")
    {
        Description = "Client URLs of the etcd members (comma-separated or repeated), for --store etcd",
        AllowMultipleArgumentsPerToken = true,
        CustomParser = r => [.. r.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
    };

    public Option<string> TlsDir { get; } = new("--tls-dir")
    {
        Description = "Directory of the cluster's CA, keys and encryption config: the same for every API server of one cluster [default: <data-dir>/tls]",
    };

    public Option<string[]> TlsSans { get; } = new("--tls-san")
    {
        Description = "Extra host names or IP addresses for the API server's certificate (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> AnonymousAuth { get; } = new("--anonymous-auth")
    {
        Description = "Let requests without credentials reach /healthz, /livez, /readyz and /version (false: 401 everywhere)",
        DefaultValueFactory = _ => true,
    };

    public Option<string> TokenAuthFile { get; } = new("--token-auth-file")
    {
        Description = "CSV file of static bearer tokens: token,user,uid[,\"group1,group2\"] per line (read at start)",
    };

    public Option<string> AuditLogPath { get; } = new("--audit-log-path")
    {
        Description = "The audit log (JSON lines); - for standard output, \"\" for none [default: <data-dir>/audit.log]",
    };

    public Option<string> AuditPolicyFile { get; } = new("--audit-policy-file")
    {
        Description = "The audit policy (audit.k8s.io/v1 Policy) [default: <data-dir>/audit-policy.yaml, written at first start]",
    };

    public Option<int> AuditLogMaxSize { get; } = new("--audit-log-maxsize")
    {
        Description = "Size in MiB at which the audit log is rotated",
        DefaultValueFactory = _ => 100,
    };

    public Option<int> AuditLogMaxBackup { get; } = new("--audit-log-maxbackup")
    {
        Description = "Rotated audit logs kept (0 keeps all)",
        DefaultValueFactory = _ => 3,
    };

    public Option<IPEndPoint> Listen { get; } = new("--listen")
    {
        Description = "Address and port the API server listens on (HTTPS)",
        DefaultValueFactory = _ => new IPEndPoint(IPAddress.Loopback, 6443),
        CustomParser = ParseListen,
    };

    public Option<IPAddress?> AdvertiseAddress { get; } = new("--advertise-address")
    {
        Description = "Address pods and agents reach this server and its cluster DNS at: the kubernetes and kube-dns Services' endpoints (default: the --listen address; with 0.0.0.0, the address of the host's default route)",
        CustomParser = r => IPAddress.TryParse(r.Tokens.Single().Value, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) ? ip : OptionErrors.Fail<IPAddress?>(r, $"--advertise-address: '{r.Tokens.Single().Value}' is not a host's IP address"),
    };

    public Option<int> IngressHttpPort { get; } = new("--ingress-http-port")
    {
        Description = "Port of the ingress controller's HTTP listener, on the --listen address",
        DefaultValueFactory = _ => 80,
    };

    public Option<int> IngressHttpsPort { get; } = new("--ingress-https-port")
    {
        Description = "Port of the ingress controller's HTTPS listener, on the --listen address",
        DefaultValueFactory = _ => 443,
    };

    public Option<int> EtcdMembers { get; } = new("--etcd-members")
    {
        Description = "With --store etcd and no --etcd-endpoints: members of the etcd cluster this server starts (on loopback, data under <data-dir>/etcd)",
        DefaultValueFactory = _ => 3,
    };

    public Option<bool> DisableScheduler { get; } = new("--disable-scheduler")
    {
        Description = "Do not run the scheduler in this process (run 'flotilla scheduler' processes instead, as k3s' flag)",
    };

    public Option<bool> DisableControllerManager { get; } = new("--disable-controller-manager")
    {
        Description = "Do not run the controller manager in this process (run 'flotilla controller-manager' processes instead, as k3s' flag)",
    };

    public static Option<string> DataDirOption() => new("--data-dir")
    {
        Description = "Directory holding the cluster's state",
        DefaultValueFactory = _ => "/var/lib/flotilla",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Store);
        command.Options.Add(EtcdEndpoints);
        command.Options.Add(EtcdMembers);
        EtcdMembers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 7 || r.GetValueOrDefault<int>() % 2 == 0)
            {
                r.AddError("--etcd-members must be 1, 3, 5 or 7 (an odd number keeps a majority)");
            }
        });
        command.Options.Add(Listen);
        command.Options.Add(AdvertiseAddress);
        command.Options.Add(TlsDir);
        command.Options.Add(TlsSans);
        command.Options.Add(TokenAuthFile);
        command.Options.Add(AnonymousAuth);
        command.Options.Add(AuditLogPath);
        command.Options.Add(AuditPolicyFile);
        command.Options.Add(AuditLogMaxSize);
        command.Options.Add(AuditLogMaxBackup);
        command.Options.Add(IngressHttpPort);
        command.Options.Add(IngressHttpsPort);
        command.Options.Add(DisableScheduler);
        command.Options.Add(DisableControllerManager);
        foreach (var port in new[] { IngressHttpPort, IngressHttpsPort })
        {
            port.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int>() is < 1 or > 65535)
                {
                    r.AddError($"{port.Name} must be a port number (1-65535)");
                }
            });
        }

        AuditLogMaxSize.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0)
            {
                r.AddError("--audit-log-maxsize must be a positive number of MiB");
            }
        });
        AuditLogMaxBackup.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--audit-log-maxbackup must not be negative");
            }
        });
        command.Validators.Add(r =>
        {

            var store = r.GetValue(Store);
            var endpoints = r.GetValue(EtcdEndpoints) ?? [];
            if (store != "etcd" && endpoints.Length > 0)
            {
                r.AddError("--etcd-endpoints is only used with --store etcd");
            }

            foreach (var endpoint in endpoints)
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    r.AddError($"--etcd-endpoints: '{endpoint}' is not an http(s) URL");
                }
            }
        });
    }

    private static IPEndPoint? ParseListen(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (!IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0 && !text.EndsWith(":0", StringComparison.Ordinal))
        {
            result.AddError($"--listen: '{text}' is not an address:port such as 127.0.0.1:6443");
            return null;
        }

        return endpoint;
    }
}
