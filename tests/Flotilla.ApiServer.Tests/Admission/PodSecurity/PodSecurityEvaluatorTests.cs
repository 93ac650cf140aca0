using Flotilla.ApiServer.Admission.PodSecurity;
using Flotilla.ApiServer.Admission.PodSecurity.Checks;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

public sealed class PodSecurityEvaluatorTests
{
    private static readonly PodSecurityEvaluator Evaluator = PodSecurityEvaluator.Default;

    private static AggregateResult Evaluate(string level, string version, V1Pod pod) =>
        Evaluator.Evaluate(new LevelVersion(PodSecurityLevels.Parse(level, out _), PolicyVersion.Parse(version, out _)), pod.Metadata, pod.Spec);

    [Fact]
    public void NewestCheckVersion_IsV1Dot32() => Assert.Equal("v1.32", Evaluator.MaxVersion.ToString());

    [Fact]
    public void RestrictedMessage_BaselineChecksFirst_ThenRestricted_EachInIdOrder()
    {
        var pod = Pods.Parse("""{"metadata":{"name":"p"},"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"i","securityContext":{"privileged":true}}]}}""");

        Assert.Equal(
            "host namespaces (hostNetwork=true), privileged (container \"c\" must not set securityContext.privileged=true), " +
            "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), " +
            "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
            "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), " +
            "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
            Evaluate("restricted", "latest", pod).ForbiddenDetail());
        Assert.Equal("host namespaces, privileged", Evaluate("baseline", "latest", pod).ForbiddenReason());
        Assert.True(Evaluate("privileged", "latest", pod).Allowed);
    }

    [Fact]
    public void Restricted_OverridesTheBaselineCheckItReplaces()
    {
        var pod = Pods.With(Pods.Restricted, p =>
        {
            p.Spec.Volumes = [new V1Volume { Name = "h", HostPath = new V1HostPathVolumeSource { Path = "/" } }];
            p.Spec.Containers[0].SecurityContext.Capabilities.Add = ["SYS_ADMIN"];
        });

        Assert.Equal("non-default capabilities, hostPath volumes", Evaluate("baseline", "latest", pod).ForbiddenReason());
        Assert.Equal("unrestricted capabilities, restricted volume types", Evaluate("restricted", "latest", pod).ForbiddenReason());
    }

    [Theory]
    [InlineData("v1.21", "non-default capabilities")]
    [InlineData("v1.22", "unrestricted capabilities")]
    [InlineData("latest", "unrestricted capabilities")]
    public void RestrictedCapabilities_FromV1Dot22_BaselineBefore(string version, string reason)
    {
        var pod = Pods.With(Pods.Restricted, p => p.Spec.Containers[0].SecurityContext.Capabilities.Add = ["SYS_ADMIN"]);
        Assert.Equal(reason, Evaluate("restricted", version, pod).ForbiddenReason());
    }

    [Fact]
    public void RestrictedCapabilities_DropAllNotRequiredBeforeV1Dot22()
    {
        var pod = Pods.With(Pods.Restricted, p => p.Spec.Containers[0].SecurityContext.Capabilities = null);
        Assert.True(Evaluate("restricted", "v1.21", pod).Allowed);
        Assert.Equal("unrestricted capabilities", Evaluate("restricted", "v1.22", pod).ForbiddenReason());
    }

    [Fact]
    public void RestrictedSeccomp_RequiredFromV1Dot19_AnnotationsCheckedBefore()
    {
        var unset = Pods.With(Pods.Restricted, p => p.Spec.SecurityContext.SeccompProfile = null);
        Assert.True(Evaluate("restricted", "v1.18", unset).Allowed);
        Assert.Equal("seccompProfile", Evaluate("restricted", "v1.19", unset).ForbiddenReason());

        var annotated = Pods.With(Pods.Restricted, p => p.Metadata.Annotations = new Dictionary<string, string> { ["seccomp.security.alpha.kubernetes.io/pod"] = "unconfined" });
        Assert.Equal("seccompProfile", Evaluate("restricted", "v1.18", annotated).ForbiddenReason());
        Assert.True(Evaluate("restricted", "v1.19", annotated).Allowed);
    }

    [Fact]
    public void RunAsUserZero_ForbiddenFromV1Dot23()
    {
        var root = Pods.With(Pods.Restricted, p => p.Spec.SecurityContext.RunAsUser = 0);
        Assert.True(Evaluate("restricted", "v1.22", root).Allowed);
        Assert.Equal("runAsUser=0", Evaluate("restricted", "v1.23", root).ForbiddenReason());
    }

    [Fact]
    public void AllowPrivilegeEscalation_FromV1Dot8_WindowsExemptFromV1Dot25()
    {
        var pod = Pods.With(Pods.Restricted, p => p.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = null);
        Assert.True(Evaluate("restricted", "v1.7", pod).Allowed);
        Assert.Equal("allowPrivilegeEscalation != false", Evaluate("restricted", "v1.8", pod).ForbiddenReason());

        var windows = Pods.Parse("""{"metadata":{"name":"w"},"spec":{"os":{"name":"windows"},"securityContext":{"runAsNonRoot":true},"containers":[{"name":"c","image":"i"}]}}""");
        Assert.Equal("allowPrivilegeEscalation != false, unrestricted capabilities, seccompProfile", Evaluate("restricted", "v1.24", windows).ForbiddenReason());
        Assert.True(Evaluate("restricted", "v1.25", windows).Allowed);
    }

    [Theory]
    [InlineData("net.ipv4.tcp_rmem", "v1.31", false)]
    [InlineData("net.ipv4.tcp_rmem", "v1.32", true)]
    [InlineData("net.ipv4.tcp_rmem", "latest", true)]
    [InlineData("net.ipv4.tcp_keepalive_time", "v1.28", false)]
    [InlineData("net.ipv4.tcp_keepalive_time", "v1.29", true)]
    [InlineData("net.ipv4.ip_local_reserved_ports", "v1.26", false)]
    [InlineData("net.ipv4.ip_local_reserved_ports", "v1.27", true)]
    public void Sysctls_ByVersion(string sysctl, string version, bool allowed)
    {
        var pod = Pods.With(Pods.Baseline, p => p.Spec.SecurityContext = new V1PodSecurityContext { Sysctls = [new V1Sysctl { Name = sysctl, Value = "1" }] });
        Assert.Equal(allowed, Evaluate("baseline", version, pod).Allowed);
    }

    [Fact]
    public void SeLinuxContainerEngineType_AllowedFromV1Dot31()
    {
        var pod = Pods.With(Pods.Baseline, p => p.Spec.SecurityContext = new V1PodSecurityContext { SeLinuxOptions = new V1SELinuxOptions { Type = "container_engine_t" } });
        Assert.False(Evaluate("baseline", "v1.30", pod).Allowed);
        Assert.True(Evaluate("baseline", "v1.31", pod).Allowed);
    }

    [Fact]
    public void VersionsNewerThanTheChecks_EvaluateAsLatest()
    {
        var pod = Pods.With(Pods.Baseline, p => p.Spec.SecurityContext = new V1PodSecurityContext { Sysctls = [new V1Sysctl { Name = "net.ipv4.tcp_wmem", Value = "1" }, new V1Sysctl { Name = "kernel.msgmax", Value = "1" }] });
        Assert.Equal(Evaluate("baseline", "latest", pod).ForbiddenDetail(), Evaluate("baseline", "v1.99", pod).ForbiddenDetail());
        Assert.Equal("forbidden sysctls (kernel.msgmax)", Evaluate("baseline", "v1.33", pod).ForbiddenDetail());
    }

    [Fact]
    public void MinimalPods_PassTheirLevelAtEveryVersion()
    {
        for (var minor = 0; minor <= 40; minor++)
        {
            var version = $"v1.{minor}";
            Assert.True(Evaluate("restricted", version, Pods.Parse(Pods.Restricted)).Allowed, version);
            Assert.True(Evaluate("baseline", version, Pods.Parse(Pods.Baseline)).Allowed, version);
        }
    }
}
