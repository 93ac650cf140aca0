using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Core;

/// <summary>Containers inside a pod spec: names, images, ports, env, resources, probes (upstream's TestValidateContainers).</summary>
public sealed class ContainerValidationTests
{
    public static TheoryData<Case<V1Pod>> Cases => new()
    {
        new("no containers", p => p.Spec.Containers.Clear(), "spec.containers: Required value"),
        new("empty name", p => p.Spec.Containers[0].Name = "", "spec.containers[0].name: Required value"),
        new("name not a DNS label", p => p.Spec.Containers[0].Name = "App", $"spec.containers[0].name: Invalid value: \"App\": {Messages.Dns1123Label}"),
        new("duplicate names", p => p.Spec.Containers.Add(ValidObjects.Container()), "spec.containers[1].name: Duplicate value: \"app\""),
        new("init container named like a container", p => p.Spec.InitContainers = [ValidObjects.Container()], "spec.initContainers[0].name: Duplicate value: \"app\""),
        new("no image", p => p.Spec.Containers[0].Image = "", "spec.containers[0].image: Required value"),
        new("padded image", p => p.Spec.Containers[0].Image = " nginx", "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"),
        new("pull policy", p => p.Spec.Containers[0].ImagePullPolicy = "Sometimes", "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
        new("termination message policy", p => p.Spec.Containers[0].TerminationMessagePolicy = "Log", "spec.containers[0].terminationMessagePolicy: Unsupported value: \"Log\": supported values: \"File\", \"FallbackToLogsOnError\""),
        new("restartPolicy on a regular container", p => p.Spec.Containers[0].RestartPolicy = "Always", "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers"),
        new("port 0", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 0 }], "spec.containers[0].ports[0].containerPort: Required value"),
        new("port out of range", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 70000 }], $"spec.containers[0].ports[0].containerPort: Invalid value: 70000: {Messages.PortRange}"),
        new("port protocol", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Protocol = "HTTP" }], "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
        new("port name charset", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Name = "Http" }], "spec.containers[0].ports[0].name: Invalid value: \"Http\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
        new("port name too long, no letter", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Name = "1234567890123456" }], "spec.containers[0].ports[0].name: Invalid value: \"1234567890123456\": must be no more than 15 characters", "spec.containers[0].ports[0].name: Invalid value: \"1234567890123456\": must contain at least one letter (a-z)"),
        new("duplicate port names", p => p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, Name = "http" }, new V1ContainerPort { ContainerPort = 81, Name = "http" }], "spec.containers[0].ports[1].name: Duplicate value: \"http\""),
        new("host port conflict", p =>
        {
            p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 80 }];
            p.Spec.Containers.Add(new V1Container { Name = "sidecar", Image = "envoy", Ports = [new V1ContainerPort { ContainerPort = 81, HostPort = 80 }] });
        }, "spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//80\""),
        new("host network with another host port", p =>
        {
            p.Spec.HostNetwork = true;
            p.Spec.Containers[0].Ports = [new V1ContainerPort { ContainerPort = 80, HostPort = 8080 }];
        }, "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"),
        new("env name with '='", p => p.Spec.Containers[0].Env = [new V1EnvVar { Name = "A=B" }], "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"),
        new("env without name", p => p.Spec.Containers[0].Env = [new V1EnvVar { Value = "x" }], "spec.containers[0].env[0].name: Required value"),
        new("env value and valueFrom", p => p.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", Value = "x", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } }], "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty"),
        new("env valueFrom without a source", p => p.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource() }], "spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"),
        new("env fieldRef unknown field", p => p.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.foo" } } }], "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"spec.foo\": error converting fieldPath: field label not supported: spec.foo"),
        new("env fieldRef to all labels", p => p.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } } }], "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.labels\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\""),
        new("env resourceFieldRef unknown", p => p.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource { ResourceFieldRef = new V1ResourceFieldSelector { Resource = "limits.gpu" } } }], "spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: \"limits.gpu\": supported values: \"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", \"requests.ephemeral-storage\", \"requests.memory\""),
        new("env secretKeyRef without key", p => p.Spec.Containers[0].Env = [new V1EnvVar { Name = "A", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds" } } }], "spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value"),
        new("envFrom without a source", p => p.Spec.Containers[0].EnvFrom = [new V1EnvFromSource()], "spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`"),
        new("envFrom configMap without name", p => p.Spec.Containers[0].EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource() }], "spec.containers[0].envFrom[0].configMapRef.name: Required value"),
        new("requests above limits", p => p.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = Quantities(("cpu", "1")), Requests = Quantities(("cpu", "2")) }, "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"),
        new("negative limit", p => p.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = Quantities(("memory", "-1Gi")) }, "spec.containers[0].resources.limits[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0"),
        new("unknown resource", p => p.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = Quantities(("gpu", "1")) }, "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified", "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers"),
        new("extended resource without limit", p => p.Spec.Containers[0].Resources = new V1ResourceRequirements { Requests = Quantities(("example.com/gpu", "1")) }, "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"),
        new("fractional extended resource", p => p.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = Quantities(("example.com/gpu", "500m")) }, "spec.containers[0].resources.limits[example.com/gpu]: Invalid value: 500m: must be an integer"),
        new("hugepages alone", p => p.Spec.Containers[0].Resources = new V1ResourceRequirements { Limits = Quantities(("hugepages-2Mi", "2Mi")), Requests = Quantities(("hugepages-2Mi", "2Mi")) }, "spec.containers[0].resources: Forbidden: HugePages require cpu or memory"),
        new("probe without handler", p => p.Spec.Containers[0].LivenessProbe = new V1Probe(), "spec.containers[0].livenessProbe: Required value: must specify a handler type"),
        new("probe with two handlers", p => p.Spec.Containers[0].ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] }, TcpSocket = new V1TCPSocketAction { Port = 80 } }, "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"),
        new("liveness success threshold", p => p.Spec.Containers[0].LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 80 }, SuccessThreshold = 2 }, "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"),
        new("startup success threshold", p => p.Spec.Containers[0].StartupProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 80 }, SuccessThreshold = 3 }, "spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1"),
        new("negative period", p => p.Spec.Containers[0].ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "http" }, PeriodSeconds = -1 }, "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"),
        new("httpGet without port", p => p.Spec.Containers[0].LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz" } }, $"spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: {Messages.PortRange}"),
        new("httpGet scheme", p => p.Spec.Containers[0].LivenessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = 80, Scheme = "FTP" } }, "spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\""),
        new("exec without command", p => p.Spec.Containers[0].LivenessProbe = new V1Probe { Exec = new V1ExecAction() }, "spec.containers[0].livenessProbe.exec.command: Required value"),
        new("readiness grace period", p => p.Spec.Containers[0].ReadinessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] }, TerminationGracePeriodSeconds = 10 }, "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes"),
        new("sleep of zero", p => p.Spec.Containers[0].Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = 0 } } }, "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."),
        new("init container probe", p => p.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", LivenessProbe = new V1Probe { Exec = new V1ExecAction { Command = ["true"] } } }], "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"),
        new("init container restartPolicy", p => p.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", RestartPolicy = "OnFailure" }], "spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""),
        new("run as negative user", p => p.Spec.Containers[0].SecurityContext = new V1SecurityContext { RunAsUser = -1 }, "spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive"),
        new("proc mount", p => p.Spec.Containers[0].SecurityContext = new V1SecurityContext { ProcMount = "Weird" }, "spec.containers[0].securityContext.procMount: Unsupported value: \"Weird\": supported values: \"Default\", \"Unmasked\""),
        new("seccomp without type", p => p.Spec.Containers[0].SecurityContext = new V1SecurityContext { SeccompProfile = new V1SeccompProfile() }, "spec.containers[0].securityContext.seccompProfile.type: Required value: type is required when seccompProfile is set"),
    };

    [Fact]
    public void Validate_ValidPod_NoErrors() => Errors.Equal(PodValidation.Validate(ValidObjects.Pod()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_BrokenContainer_UpstreamErrors(Case<V1Pod> row)
    {
        var pod = ValidObjects.Pod();
        row.Break(pod);

        Errors.Equal(PodValidation.Validate(pod), row.Expected);
    }

    [Fact]
    public void Validate_RestartableInitContainerWithProbe_Valid()
    {
        var pod = ValidObjects.Pod();
        pod.Spec.InitContainers = [new V1Container { Name = "proxy", Image = "envoy", RestartPolicy = "Always", ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 15000 } } }];

        Errors.Equal(PodValidation.Validate(pod));
    }

    private static Dictionary<string, ResourceQuantity> Quantities(params (string Name, string Value)[] values) =>
        values.ToDictionary(v => v.Name, v => new ResourceQuantity(v.Value));
}
