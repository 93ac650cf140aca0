namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>
/// A kubectl command whose protobuf body is kept under testdata/NAME.pb and the body's JSON form under NAME.json:
/// what kubectl prints for --dry-run=client -o json, or for commands without a dry run (auth can-i, create token) the
/// decoded JSON, checked by hand against the command's flags. <see cref="Served"/> is false where the API server does
/// not serve the resource yet, so only the body is checked.
/// </summary>
public sealed record KubectlCase(string Name, string[] Args, bool HasDryRun = true, bool Served = true, string[]? Setup = null)
{
    // kubectl sends protobuf for these (its typed clients), with no JSON fallback.
    public static readonly IReadOnlyList<KubectlCase> All =
    [
        new("configmap", ["create", "configmap", "x", "--from-literal=a=b"]),
        new("deployment", ["create", "deployment", "web", "--image=busybox:1.35", "--replicas=2", "--port=80"]),
        new("secret", ["create", "secret", "generic", "s", "--from-literal=k=v"]),
        new("service", ["create", "service", "clusterip", "svc", "--tcp=80:8080"]),
        new("job", ["create", "job", "j", "--image=busybox"]),
        new("cronjob", ["create", "cronjob", "c", "--image=busybox", "--schedule=*/1 * * * *"]),
        new("namespace", ["create", "namespace", "n"]),
        new("priorityclass", ["create", "priorityclass", "pc", "--value=10"]),
        new("role", ["create", "role", "r", "--verb=get", "--resource=pods"]),
        new("clusterrolebinding", ["create", "clusterrolebinding", "b", "--clusterrole=view", "--user=u"]),
        new("quota", ["create", "quota", "q", "--hard=pods=10"]),
        new("pdb", ["create", "pdb", "p", "--selector=app=x", "--min-available=1"]),
        new("ingress", ["create", "ingress", "i", "--rule=a.com/=svc:80"]),
        new("serviceaccount", ["create", "serviceaccount", "sa"]),
        // kubectl 1.32 creates autoscaling/v1 HorizontalPodAutoscalers.
        new("autoscale", ["autoscale", "deployment", "scaled", "--max=5", "--cpu-percent=80"], Served: false, Setup: ["create", "deployment", "scaled", "--image=busybox"]),
        new("auth-can-i", ["auth", "can-i", "get", "pods"], HasDryRun: false, Served: false),
        new("auth-can-i-list", ["auth", "can-i", "--list", "-n", "kube-public"], HasDryRun: false, Served: false),
        new("token", ["create", "token", "sa", "--audience=api", "--duration=1h", "--bound-object-kind=Secret", "--bound-object-name=s"], HasDryRun: false, Served: false),
    ];

    public static TheoryData<string> Names => [.. All.Select(c => c.Name)];

    public static TheoryData<string> DryRunNames => [.. All.Where(c => c.HasDryRun).Select(c => c.Name)];

    public static KubectlCase Named(string name) => All.Single(c => c.Name == name);

    public override string ToString() => Name;
}
