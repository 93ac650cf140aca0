using System.Text.Json.Nodes;
using Flotilla.Api.Defaults;
using Flotilla.ApiServer.Tests.Patch;
using k8s;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class PodAdmissionDefaultsTests
{
    private const string NotReady = """{"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300}""";
    private const string Unreachable = """{"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}""";

    // Upstream's defaulttolerationseconds TestForgivenessAdmission.
    [Theory]
    [InlineData("null", "[NOTREADY,UNREACHABLE]")]
    [InlineData("""[{"key":"foo","operator":"Equal","value":"bar","effect":"NoSchedule"}]""",
        """[{"key":"foo","operator":"Equal","value":"bar","effect":"NoSchedule"},NOTREADY,UNREACHABLE]""")]
    [InlineData("""[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":700}]""",
        """[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":700},UNREACHABLE]""")]
    [InlineData("""[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":700}]""",
        """[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":700},NOTREADY]""")]
    [InlineData("""[{"key":"node.kubernetes.io/not-ready","operator":"Exists"}]""",
        """[{"key":"node.kubernetes.io/not-ready","operator":"Exists"},UNREACHABLE]""")]
    [InlineData("""[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoSchedule"}]""",
        """[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoSchedule"},NOTREADY,UNREACHABLE]""")]
    [InlineData("""[{"operator":"Exists"}]""", """[{"operator":"Exists"}]""")]
    [InlineData("""[{"operator":"Exists","effect":"NoExecute"}]""", """[{"operator":"Exists","effect":"NoExecute"}]""")]
    public void ApplyTolerationSeconds_Tolerations_AddedUnlessTolerated(string tolerations, string expected)
    {
        var pod = KubernetesJson.Deserialize<V1Pod>("""{"spec":{"containers":[],"tolerations":TOLERATIONS}}""".Replace("TOLERATIONS", tolerations, StringComparison.Ordinal));

        PodAdmissionDefaults.ApplyTolerationSeconds(pod);

        JsonAssert.Equal(
            expected.Replace("NOTREADY", NotReady, StringComparison.Ordinal).Replace("UNREACHABLE", Unreachable, StringComparison.Ordinal),
            JsonNode.Parse(KubernetesJson.Serialize(pod.Spec.Tolerations)));
    }

    [Fact]
    public void ApplyTolerationSeconds_Twice_AddsOnce()
    {
        var pod = new V1Pod { Spec = new V1PodSpec() };

        PodAdmissionDefaults.ApplyTolerationSeconds(pod);
        PodAdmissionDefaults.ApplyTolerationSeconds(pod);

        Assert.Equal(2, pod.Spec.Tolerations.Count);
    }

    [Fact]
    public void ApplyPriorityOnCreate_NoClassAndNoGlobalDefault_ZeroAndPreemptLower()
    {
        var pod = new V1Pod { Spec = new V1PodSpec() };

        var forbidden = PodAdmissionDefaults.ApplyPriorityOnCreate(pod, [Class("system-node-critical", 2000001000)]);

        Assert.Null(forbidden);
        Assert.Equal(0, pod.Spec.Priority);
        Assert.Equal("PreemptLowerPriority", pod.Spec.PreemptionPolicy);
        Assert.Null(pod.Spec.PriorityClassName);
    }

    [Fact]
    public void ApplyPriorityOnCreate_GlobalDefaults_LowestValuedWins()
    {
        var pod = new V1Pod { Spec = new V1PodSpec() };
        V1PriorityClass[] classes =
        [
            Class("high", 1000, globalDefault: true),
            Class("low", 10, globalDefault: true, preemption: "Never"),
            Class("lowest-not-default", 1),
        ];

        var forbidden = PodAdmissionDefaults.ApplyPriorityOnCreate(pod, classes);

        Assert.Null(forbidden);
        Assert.Equal("low", pod.Spec.PriorityClassName);
        Assert.Equal(10, pod.Spec.Priority);
        Assert.Equal("Never", pod.Spec.PreemptionPolicy);
    }

    [Theory]
    [InlineData("system-cluster-critical", null, null, null, 2000000000)]
    [InlineData("system-cluster-critical", 2000000000, null, null, 2000000000)]
    [InlineData("system-cluster-critical", 5, null, "the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name", null)]
    [InlineData("system-cluster-critical", null, "Never", "the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name", 2000000000)]
    [InlineData("missing", null, null, "no PriorityClass with name missing was found", null)]
    public void ApplyPriorityOnCreate_NamedClass_ResolvedOrForbidden(
        string className, int? givenPriority, string? givenPolicy, string? expectedForbidden, int? expectedPriority)
    {
        var pod = new V1Pod { Spec = new V1PodSpec { PriorityClassName = className, Priority = givenPriority, PreemptionPolicy = givenPolicy } };

        var forbidden = PodAdmissionDefaults.ApplyPriorityOnCreate(pod, [Class("system-cluster-critical", 2000000000, preemption: "PreemptLowerPriority")]);

        Assert.Equal(expectedForbidden, forbidden);
        Assert.Equal(expectedPriority ?? givenPriority, pod.Spec.Priority);
    }

    [Fact]
    public void ApplyPriorityOnCreate_ClassWithoutPolicy_PodPolicyLeftAlone()
    {
        var pod = new V1Pod { Spec = new V1PodSpec { PriorityClassName = "legacy" } };

        Assert.Null(PodAdmissionDefaults.ApplyPriorityOnCreate(pod, [Class("legacy", 7)]));

        Assert.Equal(7, pod.Spec.Priority);
        Assert.Null(pod.Spec.PreemptionPolicy);
    }

    [Theory]
    [InlineData(null, null, 5, "Never")]
    [InlineData(5, "Never", 5, "Never")]
    public void ApplyPriorityOnUpdate_OmittedPriority_KeptFromOld(int? priority, string? policy, int expectedPriority, string expectedPolicy)
    {
        var old = new V1Pod { Spec = new V1PodSpec { Priority = 5, PreemptionPolicy = "Never" } };
        var pod = new V1Pod { Spec = new V1PodSpec { Priority = priority, PreemptionPolicy = policy } };

        PodAdmissionDefaults.ApplyPriorityOnUpdate(pod, old);

        Assert.Equal(expectedPriority, pod.Spec.Priority);
        Assert.Equal(expectedPolicy, pod.Spec.PreemptionPolicy);
    }

    private static V1PriorityClass Class(string name, int value, bool globalDefault = false, string? preemption = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Value = value,
        GlobalDefault = globalDefault,
        PreemptionPolicy = preemption,
    };
}
