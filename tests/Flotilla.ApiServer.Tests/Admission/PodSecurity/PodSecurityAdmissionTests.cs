using Flotilla.Api.Errors;
using Flotilla.Api.Resources;
using Flotilla.ApiServer.Admission;
using Flotilla.ApiServer.Admission.PodSecurity;
using Flotilla.ApiServer.Admission.PodSecurity.Checks;
using Flotilla.ApiServer.Auth;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

public sealed class PodSecurityAdmissionTests
{
    private const string Privileged = """
        {"metadata":{"name":"priv","namespace":"ns"},"spec":{"containers":[{"name":"c","image":"busybox","securityContext":{"privileged":true}}]}}
        """;

    private const string RestrictedViolation =
        "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), " +
        "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
        "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), " +
        "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    private readonly FakeLookup _lookup = new();
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, string> _annotations = [];
    private PodSecurityConfiguration _configuration = PodSecurityConfiguration.Default;

    private PodSecurityAdmission Plugin => new(_configuration, _lookup, PodSecurityEvaluator.Default, new FakeTimeProvider());

    [Fact]
    public async Task Enforce_RefusesAViolatingPod_WithUpstreamsMessage()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"));

        var e = await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", Pods.Parse(Privileged))));

        Assert.Equal(403, e.Code);
        Assert.Equal("Forbidden", e.Reason);
        Assert.Equal(
            "pods \"priv\" is forbidden: violates PodSecurity \"restricted:latest\": privileged (container \"c\" must not set securityContext.privileged=true), " + RestrictedViolation,
            e.Message);
        Assert.Equal("restricted:latest", _annotations["pod-security.kubernetes.io/enforce-policy"]);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task Enforce_AdmitsACompliantPod()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"), ("pod-security.kubernetes.io/enforce-version", "v1.32"));

        await ValidateAsync(Request("pods", Pods.Parse(Pods.Restricted)));

        Assert.Equal("restricted:v1.32", _annotations["pod-security.kubernetes.io/enforce-policy"]);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task WarnAndAudit_OnAPod_AllowWithAWarningAndAnAnnotation()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "baseline"), ("pod-security.kubernetes.io/warn", "restricted"), ("pod-security.kubernetes.io/audit", "restricted"));

        await ValidateAsync(Request("pods", Pods.Parse(Pods.Baseline)));

        const string both = "containers \"initcontainer1\", \"container1\"";
        Assert.Equal(
            [
                "would violate PodSecurity \"restricted:latest\": " +
                $"allowPrivilegeEscalation != false ({both} must set securityContext.allowPrivilegeEscalation=false), " +
                $"unrestricted capabilities ({both} must set securityContext.capabilities.drop=[\"ALL\"]), " +
                $"runAsNonRoot != true (pod or {both} must set securityContext.runAsNonRoot=true), " +
                $"seccompProfile (pod or {both} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            ],
            _warnings);
        Assert.Equal(_warnings[0], _annotations["pod-security.kubernetes.io/audit-violations"]);
        Assert.Equal("baseline:latest", _annotations["pod-security.kubernetes.io/enforce-policy"]);
    }

    [Fact]
    public async Task EnforceRefusal_StillRecordsAudit_ButNoWarning()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "baseline"), ("pod-security.kubernetes.io/warn", "restricted"), ("pod-security.kubernetes.io/audit", "baseline"));

        await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", Pods.Parse(Privileged))));

        Assert.Equal("would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set securityContext.privileged=true)", _annotations["pod-security.kubernetes.io/audit-violations"]);
        Assert.Empty(_warnings);
    }

    [Theory]
    [InlineData("apps", "deployments", """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"ns"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}}""")]
    [InlineData("apps", "replicasets", """{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"d","namespace":"ns"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}}""")]
    [InlineData("apps", "statefulsets", """{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"d","namespace":"ns"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}}""")]
    [InlineData("apps", "daemonsets", """{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"d","namespace":"ns"},"spec":{"selector":{},"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}}""")]
    [InlineData("batch", "jobs", """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"d","namespace":"ns"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}}""")]
    [InlineData("batch", "cronjobs", """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"d","namespace":"ns"},"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}}}}""")]
    [InlineData("", "replicationcontrollers", """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"d","namespace":"ns"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}}""")]
    [InlineData("", "podtemplates", """{"apiVersion":"v1","kind":"PodTemplate","metadata":{"name":"d","namespace":"ns"},"template":{"spec":{"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}}""")]
    public async Task Workloads_AreNeverRefused_ButWarnedAndAudited(string group, string plural, string json)
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"), ("pod-security.kubernetes.io/warn", "baseline"), ("pod-security.kubernetes.io/audit", "baseline"));
        // PodTemplates are not served yet; the plugin checks them all the same once they are.
        var resource = ResourceCatalog.Default.Find(group, "v1", plural)
            ?? new ResourceInfo { Group = group, Version = "v1", Kind = "PodTemplate", Plural = plural, Namespaced = true, ModelType = typeof(V1PodTemplate) };
        var obj = (IKubernetesObject<V1ObjectMeta>)System.Text.Json.JsonSerializer.Deserialize(json, resource.ModelType, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

        await ValidateAsync(Request(resource, obj));

        const string expected = "would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set securityContext.privileged=true)";
        Assert.Equal([expected], _warnings);
        Assert.Equal(expected, _annotations["pod-security.kubernetes.io/audit-violations"]);
        Assert.False(_annotations.ContainsKey("pod-security.kubernetes.io/enforce-policy"));
    }

    [Fact]
    public async Task InvalidEnforceLabel_EvaluatesRestrictedLatest_AndRecordsTheError()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "strict"));

        var e = await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", Pods.Parse(Pods.Baseline))));

        Assert.StartsWith("pods \"base\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", e.Message, StringComparison.Ordinal);
        Assert.Equal(
            "Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            _annotations["pod-security.kubernetes.io/error"]);
    }

    [Fact]
    public async Task UnlabelledNamespace_IsPrivileged_KubeSystemIncluded()
    {
        _lookup.AddNamespace("kube-system");

        await ValidateAsync(Request("pods", Pods.Parse(Privileged.Replace("\"ns\"", "\"kube-system\"", StringComparison.Ordinal))));

        Assert.Equal("privileged:latest", _annotations["pod-security.kubernetes.io/enforce-policy"]);
    }

    [Fact]
    public async Task ConfiguredDefaults_ApplyToUnlabelledNamespaces()
    {
        _configuration = new PodSecurityConfiguration { Defaults = NamespacePolicy.Privileged with { Enforce = new(PodSecurityLevel.Baseline, PolicyVersion.Latest) } };
        _lookup.AddNamespace("ns");

        var e = await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", Pods.Parse(Privileged))));

        Assert.Contains("violates PodSecurity \"baseline:latest\": privileged", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("namespace")]
    [InlineData("user")]
    [InlineData("runtimeClass")]
    public async Task Exemptions_SkipTheChecks_AndSayWhy(string exemption)
    {
        _configuration = exemption switch
        {
            "namespace" => new PodSecurityConfiguration { ExemptNamespaces = ["ns"] },
            "user" => new PodSecurityConfiguration { ExemptUsernames = ["jane"] },
            _ => new PodSecurityConfiguration { ExemptRuntimeClasses = ["kata"] },
        };
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"), ("pod-security.kubernetes.io/warn", "restricted"));
        var pod = Pods.With(Privileged, p => p.Spec.RuntimeClassName = "kata");

        await ValidateAsync(Request("pods", pod, user: "jane"));

        Assert.Equal(exemption, _annotations["pod-security.kubernetes.io/exempt"]);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task OtherUsersAndRuntimeClasses_AreNotExempt()
    {
        _configuration = new PodSecurityConfiguration { ExemptUsernames = ["jane"], ExemptRuntimeClasses = ["kata"] };
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "baseline"));

        await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", Pods.With(Privileged, p => p.Spec.RuntimeClassName = "runc"), user: "john")));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("binding")]
    [InlineData("eviction")]
    public async Task IgnoredPodSubresources_PassWhateverThePod(string subresource)
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"));
        await ValidateAsync(Request("pods", Pods.Parse(Privileged), operation: AdmissionOperation.Update, old: Pods.Parse(Privileged), subresource: subresource));
        Assert.Empty(_annotations);
    }

    [Fact]
    public async Task OtherPodSubresources_AreChecked()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"));
        var old = Pods.Parse(Privileged);
        var pod = Pods.With(Privileged, p => p.Spec.EphemeralContainers = [new V1EphemeralContainer { Name = "debug", Image = "busybox" }]);

        await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", pod, operation: AdmissionOperation.Update, old: old, subresource: "ephemeralcontainers")));
    }

    [Fact]
    public async Task PodUpdate_OnlyLabels_PassesEvenWhenThePodViolates()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"));
        var old = Pods.Parse(Privileged);

        await ValidateAsync(Request("pods", Pods.With(Privileged, p => p.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" }), operation: AdmissionOperation.Update, old: old));
        await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", Pods.With(Privileged, p => p.Spec.Containers[0].Image = "busybox:2"), operation: AdmissionOperation.Update, old: old)));
    }

    [Fact]
    public async Task Deletes_AreNotChecked()
    {
        _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "restricted"));
        await ValidateAsync(Request("pods", null, operation: AdmissionOperation.Delete, old: Pods.Parse(Privileged)));
        Assert.Empty(_annotations);
    }

    [Fact]
    public async Task PodInAMissingNamespace_IsAnInternalError()
    {
        var e = await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("pods", Pods.Parse(Privileged))));
        Assert.Equal(500, e.Code);
        Assert.Equal("Internal error occurred: failed to lookup namespace \"ns\"", e.Message);
    }

    [Theory]
    [InlineData("pod-security.kubernetes.io/enforce", "strict", "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted")]
    [InlineData("pod-security.kubernetes.io/warn-version", "1.25", "metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"1.25\": must be \"latest\" or \"v1.x\"")]
    public async Task NamespaceCreate_WithInvalidLabels_IsInvalid(string label, string value, string error)
    {
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "bad", Labels = new Dictionary<string, string> { [label] = value } } };

        var e = await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("namespaces", ns)));

        Assert.Equal(422, e.Code);
        Assert.Equal($"Namespace \"bad\" is invalid: {error}", e.Message);
    }

    [Fact]
    public async Task NamespaceUpdate_KeepingTheSameInvalidLabel_IsAllowed()
    {
        var old = new V1Namespace { Metadata = new V1ObjectMeta { Name = "ns", Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "strict" } } };
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "ns", Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "strict", ["team"] = "a" } } };

        await ValidateAsync(Request("namespaces", ns, operation: AdmissionOperation.Update, old: old));
        await Assert.ThrowsAsync<StatusException>(() => ValidateAsync(Request("namespaces", Label(ns, "pod-security.kubernetes.io/enforce", "stricter"), operation: AdmissionOperation.Update, old: old)));
    }

    [Fact]
    public async Task NamespaceTightened_WarnsAboutExistingPods_GroupedByReason()
    {
        var old = _lookup.AddNamespace("ns");
        _lookup.Pods.Add(Pods.With(Privileged, p => p.Metadata.Name = "z-priv"));
        _lookup.Pods.Add(Pods.With(Privileged, p => p.Metadata.Name = "b-priv"));
        _lookup.Pods.Add(Pods.With(Privileged, p => (p.Metadata.Name, p.Spec.HostNetwork) = ("host", true)));
        _lookup.Pods.Add(Pods.With(Pods.Baseline, p => (p.Metadata.Name, p.Metadata.NamespaceProperty) = ("fine", "ns")));
        _lookup.Pods.Add(Pods.With(Privileged, p => (p.Metadata.Name, p.Metadata.NamespaceProperty) = ("elsewhere", "other")));

        await ValidateAsync(Request("namespaces", Label(old, "pod-security.kubernetes.io/enforce", "baseline"), operation: AdmissionOperation.Update, old: old));

        Assert.Equal(
            [
                "existing pods in namespace \"ns\" violate the new PodSecurity enforce level \"baseline:latest\"",
                "b-priv (and 1 other pod): privileged",
                "host: host namespaces, privileged",
            ],
            _warnings);
    }

    [Theory]
    [InlineData("baseline", "baseline", "")]
    [InlineData("restricted", "baseline", "")]
    [InlineData("baseline", "privileged", "")]
    [InlineData("baseline", "restricted", "existing pods")]
    public async Task NamespaceUpdate_ChecksPodsOnlyWhenEnforceGetsStricter(string from, string to, string expected)
    {
        var old = _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", from));
        _lookup.Pods.Add(Pods.Parse(Privileged));

        await ValidateAsync(Request("namespaces", Label(old, "pod-security.kubernetes.io/enforce", to), operation: AdmissionOperation.Update, old: old));

        Assert.Equal(expected, _warnings.Count == 0 ? "" : _warnings[0][..13]);
    }

    [Fact]
    public async Task NamespaceUpdate_NewVersionAtTheSameLevel_ChecksPods()
    {
        var old = _lookup.AddNamespace("ns", ("pod-security.kubernetes.io/enforce", "baseline"));
        _lookup.Pods.Add(Pods.Parse(Privileged));

        await ValidateAsync(Request("namespaces", Label(old, "pod-security.kubernetes.io/enforce-version", "v1.20"), operation: AdmissionOperation.Update, old: old));

        Assert.Equal("existing pods in namespace \"ns\" violate the new PodSecurity enforce level \"baseline:v1.20\"", _warnings[0]);
    }

    [Fact]
    public async Task ExemptNamespace_LabelledStricter_IsWarnedTheLabelsAreIgnored()
    {
        _configuration = new PodSecurityConfiguration { ExemptNamespaces = ["ns"] };
        var ns = new V1Namespace { Metadata = new V1ObjectMeta { Name = "ns", Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "restricted", ["pod-security.kubernetes.io/warn"] = "baseline" } } };

        await ValidateAsync(Request("namespaces", ns));

        Assert.Equal(["namespace \"ns\" is exempt from Pod Security, and the policy (enforce=restricted:latest, warn=baseline:latest) will be ignored"], _warnings);
    }

    [Fact]
    public void ExistingPods_BoundedByPodCountAndTime()
    {
        var check = new ExistingPodsCheck(PodSecurityEvaluator.Default, PodSecurityConfiguration.Default, new TickingTime());
        var pods = Enumerable.Range(0, 5).Select(i => Pods.With(Privileged, p => p.Metadata.Name = $"p{i}")).ToList();

        var warnings = check.Warnings("ns", new LevelVersion(PodSecurityLevel.Baseline, PolicyVersion.Latest), pods);

        Assert.Equal("new PodSecurity enforce level only checked against the first 2 of 5 existing pods", warnings[0]);
        Assert.Equal("p0 (and 1 other pod): privileged", warnings[^1]);
    }

    private static V1Namespace Label(V1Namespace ns, string key, string value)
    {
        var copy = KubernetesJson.Deserialize<V1Namespace>(KubernetesJson.Serialize(ns));
        copy.Metadata.Labels ??= new Dictionary<string, string>();
        copy.Metadata.Labels[key] = value;
        return copy;
    }

    private Task ValidateAsync(AdmissionRequest request) => Plugin.ValidateAsync(request, CancellationToken.None).AsTask();

    private AdmissionRequest Request(string plural, IKubernetesObject<V1ObjectMeta>? obj, AdmissionOperation operation = AdmissionOperation.Create, IKubernetesObject<V1ObjectMeta>? old = null, string subresource = "", string user = "admin") =>
        Request(ResourceCatalog.Default.Find("", "v1", plural)!, obj, operation, old, subresource, user);

    private AdmissionRequest Request(ResourceInfo resource, IKubernetesObject<V1ObjectMeta>? obj, AdmissionOperation operation = AdmissionOperation.Create, IKubernetesObject<V1ObjectMeta>? old = null, string subresource = "", string user = "admin")
    {
        var meta = (obj ?? old)!.Metadata;
        return new AdmissionRequest
        {
            Operation = operation,
            Resource = resource,
            Subresource = subresource,
            Namespace = resource.Namespaced ? meta.NamespaceProperty ?? "ns" : string.Empty,
            Name = meta.Name ?? string.Empty,
            Object = obj,
            OldObject = old,
            User = new UserInfo(user, ["system:authenticated"]),
            WarningSink = _warnings.Add,
            AuditAnnotations = _annotations,
        };
    }

    // Every reading of the clock is 600 ms after the previous one: the one-second budget ends after the second pod.
    private sealed class TickingTime : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, TimeSpan.FromMilliseconds(600).Ticks);
    }
}
