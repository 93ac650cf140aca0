using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Core;

/// <summary>Pod spec fields around the containers: volumes, policies, DNS, scheduling (upstream's TestValidatePodSpec).</summary>
public sealed class PodSpecValidationTests
{
    public static TheoryData<Case<V1Pod>> Cases => new()
    {
        new("volume without source", p => p.Spec.Volumes = [new V1Volume { Name = "data" }], "spec.volumes[0]: Required value: must specify a volume type"),
        new("volume with two sources", p => p.Spec.Volumes = [new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource(), ConfigMap = new V1ConfigMapVolumeSource { Name = "cfg" } }], "spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"),
        new("duplicate volume names", p => p.Spec.Volumes = [EmptyDir("data"), EmptyDir("data")], "spec.volumes[1].name: Duplicate value: \"data\""),
        new("volume name not a DNS label", p => p.Spec.Volumes = [EmptyDir("Data")], $"spec.volumes[0].name: Invalid value: \"Data\": {Messages.Dns1123Label}"),
        new("configMap volume without name", p => p.Spec.Volumes = [new V1Volume { Name = "cfg", ConfigMap = new V1ConfigMapVolumeSource() }], "spec.volumes[0].configMap.name: Required value"),
        new("secret volume mode", p => p.Spec.Volumes = [new V1Volume { Name = "s", Secret = new V1SecretVolumeSource { SecretName = "s", DefaultMode = 512 } }], "spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive"),
        new("secret item path escaping", p => p.Spec.Volumes = [new V1Volume { Name = "s", Secret = new V1SecretVolumeSource { SecretName = "s", Items = [new V1KeyToPath { Key = "k", Path = "../k" }] } }], "spec.volumes[0].secret.items[0].path: Invalid value: \"../k\": must not contain '..'"),
        new("hostPath with backsteps", p => p.Spec.Volumes = [new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = "/a/../b" } }], "spec.volumes[0].hostPath.path: Invalid value: \"/a/../b\": must not contain '..'"),
        new("hostPath type", p => p.Spec.Volumes = [new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = "/a", Type = "Dir" } }], "spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\""),
        new("persistentVolumeClaim without claim", p => p.Spec.Volumes = [new V1Volume { Name = "pvc", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource() }], "spec.volumes[0].persistentVolumeClaim.claimName: Required value"),
        new("nfs relative path", p => p.Spec.Volumes = [new V1Volume { Name = "n", Nfs = new V1NFSVolumeSource { Server = "nfs", Path = "export" } }], "spec.volumes[0].nfs.path: Invalid value: \"export\": must be an absolute path"),
        new("mount of a missing volume", p => p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data" }], "spec.containers[0].volumeMounts[0].name: Not found: \"data\""),
        new("two mounts on one path", p =>
        {
            p.Spec.Volumes = [EmptyDir("a"), EmptyDir("b")];
            p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "a", MountPath = "/data" }, new V1VolumeMount { Name = "b", MountPath = "/data" }];
        }, "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique"),
        new("mount without path", p =>
        {
            p.Spec.Volumes = [EmptyDir("a")];
            p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "a" }];
        }, "spec.containers[0].volumeMounts[0].mountPath: Required value"),
        new("mount of an invalid volume", p =>
        {
            p.Spec.Volumes = [new V1Volume { Name = "a" }];
            p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "a", MountPath = "/a" }];
        }, "spec.volumes[0]: Required value: must specify a volume type", "spec.containers[0].volumeMounts[0].name: Not found: \"a\""),
        new("absolute subPath", p =>
        {
            p.Spec.Volumes = [EmptyDir("a")];
            p.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "a", MountPath = "/a", SubPath = "/etc" }];
        }, "spec.containers[0].volumeMounts.subPath: Invalid value: \"/etc\": must be a relative path"),
        new("restartPolicy", p => p.Spec.RestartPolicy = "Sometimes", "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
        new("dnsPolicy", p => p.Spec.DnsPolicy = "Foo", "spec.dnsPolicy: Unsupported value: \"Foo\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""),
        new("dnsPolicy None without config", p => p.Spec.DnsPolicy = "None", "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"),
        new("dns nameserver", p => p.Spec.DnsConfig = new V1PodDNSConfig { Nameservers = ["1.2.3"] }, $"spec.dnsConfig.nameservers[0]: Invalid value: \"1.2.3\": {Messages.IpAddress}"),
        new("dns search", p => p.Spec.DnsConfig = new V1PodDNSConfig { Searches = ["Example.com."] }, $"spec.dnsConfig.searches[0]: Invalid value: \"Example.com\": {Messages.Dns1123Subdomain}"),
        new("hostname", p => p.Spec.Hostname = "web_1", $"spec.hostname: Invalid value: \"web_1\": {Messages.Dns1123Label}"),
        new("subdomain", p => p.Spec.Subdomain = "a.b", "spec.subdomain: Invalid value: \"a.b\": must not contain dots"),
        new("service account name", p => p.Spec.ServiceAccountName = "Default", $"spec.serviceAccountName: Invalid value: \"Default\": {Messages.Dns1123Subdomain}"),
        new("node selector value", p => p.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd!" }, $"spec.nodeSelector: Invalid value: \"ssd!\": {Messages.LabelValue}"),
        new("activeDeadlineSeconds 0", p => p.Spec.ActiveDeadlineSeconds = 0, "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"),
        new("toleration without key", p => p.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Equal", Value = "x" }], "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""),
        new("toleration Exists with value", p => p.Spec.Tolerations = [new V1Toleration { Key = "k", OperatorProperty = "Exists", Value = "v" }], "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'"),
        new("toleration effect", p => p.Spec.Tolerations = [new V1Toleration { Key = "k", Effect = "Sometimes" }], "spec.tolerations[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""),
        new("toleration seconds without NoExecute", p => p.Spec.Tolerations = [new V1Toleration { Key = "k", Effect = "NoSchedule", TolerationSeconds = 30 }], "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set"),
        new("toleration operator", p => p.Spec.Tolerations = [new V1Toleration { Key = "k", OperatorProperty = "In" }], "spec.tolerations[0].operator: Unsupported value: \"In\": supported values: \"Equal\", \"Exists\""),
        new("node affinity without terms", p => p.Spec.Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [] } } }, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term"),
        new("node affinity In without values", p => p.Spec.Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In" }] }] } } }, "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"),
        new("preferred weight", p => p.Spec.Affinity = new V1Affinity { NodeAffinity = new V1NodeAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new V1PreferredSchedulingTerm { Weight = 0, Preference = new V1NodeSelectorTerm() }] } }, "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100"),
        new("anti-affinity without topology key", p => p.Spec.Affinity = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [new V1PodAffinityTerm { LabelSelector = ValidObjects.Selector() }] } },
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
            "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": name part must be non-empty",
            $"spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": {Messages.QualifiedNamePart}"),
        new("spread maxSkew", p => p.Spec.TopologySpreadConstraints = [new V1TopologySpreadConstraint { MaxSkew = 0, TopologyKey = "zone", WhenUnsatisfiable = "DoNotSchedule" }], "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero"),
        new("spread whenUnsatisfiable", p => p.Spec.TopologySpreadConstraints = [new V1TopologySpreadConstraint { MaxSkew = 1, TopologyKey = "zone", WhenUnsatisfiable = "Maybe" }], "spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Maybe\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\""),
        new("pod run as group", p => p.Spec.SecurityContext = new V1PodSecurityContext { RunAsGroup = -5 }, "spec.securityContext.runAsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive"),
        new("fsGroupChangePolicy", p => p.Spec.SecurityContext = new V1PodSecurityContext { FsGroupChangePolicy = "Sometimes" }, "spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\""),
        new("user namespace with host network", p => { p.Spec.HostUsers = false; p.Spec.HostNetwork = true; }, "spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false"),
        new("host alias IP", p => p.Spec.HostAliases = [new V1HostAlias { Ip = "foo", Hostnames = ["db"] }], $"spec.hostAliases[0].ip: Invalid value: \"foo\": {Messages.IpAddress}"),
        new("preemption policy", p => p.Spec.PreemptionPolicy = "Always", "spec.preemptionPolicy: Unsupported value: \"Always\": supported values: \"PreemptLowerPriority\", \"Never\""),
        new("os", p => p.Spec.Os = new V1PodOS { Name = "plan9" }, "spec.os: Unsupported value: \"plan9\": supported values: \"linux\", \"windows\""),
        new("windows options on a linux pod", p =>
        {
            p.Spec.Os = new V1PodOS { Name = "linux" };
            p.Spec.SecurityContext = new V1PodSecurityContext { WindowsOptions = new V1WindowsSecurityContextOptions() };
        }, "spec.securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod"),
        new("readiness gate", p => p.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = "bad/type/x" }], "spec.readinessGates[0].conditionType: Invalid value: \"bad/type/x\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenSpec_UpstreamErrors(Case<V1Pod> row)
    {
        var pod = ValidObjects.Pod();
        row.Break(pod);

        Errors.Equal(PodValidation.Validate(pod), row.Expected);
    }

    [Fact]
    public void Validate_FullyUsedSpec_NoErrors()
    {
        var pod = ValidObjects.Pod();
        pod.Spec.Volumes = [EmptyDir("cache"), new V1Volume { Name = "cfg", ConfigMap = new V1ConfigMapVolumeSource { Name = "cfg", Items = [new V1KeyToPath { Key = "a", Path = "a.conf" }] } }];
        pod.Spec.Containers[0].VolumeMounts = [new V1VolumeMount { Name = "cache", MountPath = "/cache" }, new V1VolumeMount { Name = "cfg", MountPath = "/etc/app", ReadOnlyProperty = true }];
        pod.Spec.Containers[0].Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080, Protocol = "TCP" }];
        pod.Spec.Containers[0].Env = [new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } }];
        pod.Spec.Containers[0].LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "http" }, PeriodSeconds = 5 };
        pod.Spec.Containers[0].Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("128Mi") },
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m"), ["memory"] = new("64Mi") },
        };
        pod.Spec.Tolerations = [new V1Toleration { OperatorProperty = "Exists" }, new V1Toleration { Key = "node.kubernetes.io/not-ready", Effect = "NoExecute", TolerationSeconds = 300 }];
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" };

        Errors.Equal(PodValidation.Validate(pod));
    }

    private static V1Volume EmptyDir(string name) => new() { Name = name, EmptyDir = new V1EmptyDirVolumeSource() };
}
