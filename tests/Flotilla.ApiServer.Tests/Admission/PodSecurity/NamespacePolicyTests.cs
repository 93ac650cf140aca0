using Flotilla.ApiServer.Admission.PodSecurity;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity;

public sealed class NamespacePolicyTests
{
    [Theory]
    [InlineData("latest", "latest", null)]
    [InlineData("v1.0", "v1.0", null)]
    [InlineData("v1.25", "v1.25", null)]
    [InlineData("v1.999", "v1.999", null)]
    [InlineData("v1.01", "latest", "must be \"latest\" or \"v1.x\"")]
    [InlineData("1.25", "latest", "must be \"latest\" or \"v1.x\"")]
    [InlineData("v2.0", "latest", "must be \"latest\" or \"v1.x\"")]
    [InlineData("Latest", "latest", "must be \"latest\" or \"v1.x\"")]
    [InlineData("", "latest", "must be \"latest\" or \"v1.x\"")]
    public void PolicyVersion_Parse(string value, string parsed, string? error)
    {
        Assert.Equal(parsed, PolicyVersion.Parse(value, out var actual).ToString());
        Assert.Equal(error, actual);
    }

    [Fact]
    public void PolicyVersion_LatestIsNewerThanEveryVersion()
    {
        Assert.True(PolicyVersion.V1(99).Older(PolicyVersion.Latest));
        Assert.False(PolicyVersion.Latest.Older(PolicyVersion.V1(99)));
        Assert.True(PolicyVersion.V1(9).Older(PolicyVersion.V1(10)));
        Assert.False(PolicyVersion.V1(10).Older(PolicyVersion.V1(10)));
    }

    [Fact]
    public void NoLabels_AreTheDefaults()
    {
        var policy = NamespacePolicy.FromLabels(null, NamespacePolicy.Privileged, out var errors);
        Assert.Same(NamespacePolicy.Privileged, policy);
        Assert.Empty(errors);
        Assert.True(policy.FullyPrivileged);
    }

    [Fact]
    public void EveryMode_FromItsLabels_UnsetVersionIsTheDefault()
    {
        var policy = NamespacePolicy.FromLabels(
            new Dictionary<string, string>
            {
                ["pod-security.kubernetes.io/enforce"] = "baseline",
                ["pod-security.kubernetes.io/enforce-version"] = "v1.24",
                ["pod-security.kubernetes.io/audit"] = "restricted",
                ["pod-security.kubernetes.io/warn"] = "restricted",
                ["pod-security.kubernetes.io/warn-version"] = "v1.30",
                ["unrelated"] = "x",
            },
            NamespacePolicy.Privileged,
            out var errors);

        Assert.Empty(errors);
        Assert.Equal("baseline:v1.24", policy.Enforce.ToString());
        Assert.Equal("restricted:latest", policy.Audit.ToString());
        Assert.Equal("restricted:v1.30", policy.Warn.ToString());
        Assert.False(policy.FullyPrivileged);
    }

    [Fact]
    public void InvalidLabels_EnforceFailsClosed_AuditAndWarnFailOpen()
    {
        var policy = NamespacePolicy.FromLabels(
            new Dictionary<string, string>
            {
                ["pod-security.kubernetes.io/enforce"] = "strict",
                ["pod-security.kubernetes.io/audit"] = "bogus",
                ["pod-security.kubernetes.io/warn"] = "bogus",
                ["pod-security.kubernetes.io/warn-version"] = "v2",
            },
            NamespacePolicy.Privileged,
            out var errors);

        Assert.Equal("restricted:latest", policy.Enforce.ToString());
        Assert.Equal(PodSecurityLevel.Privileged, policy.Audit.Level);
        Assert.Equal(PodSecurityLevel.Privileged, policy.Warn.Level);
        Assert.Equal(
            [
                "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
                "metadata.labels[pod-security.kubernetes.io/audit]: Invalid value: \"bogus\": must be one of privileged, baseline, restricted",
                "metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: \"bogus\": must be one of privileged, baseline, restricted",
                "metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"v2\": must be \"latest\" or \"v1.x\"",
            ],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Equivalent_PrivilegedAtAnyVersion()
    {
        var a = NamespacePolicy.Privileged with { Enforce = new(PodSecurityLevel.Privileged, PolicyVersion.V1(20)) };
        Assert.True(a.Equivalent(NamespacePolicy.Privileged));
        Assert.False((a with { Warn = new(PodSecurityLevel.Baseline, PolicyVersion.Latest) }).Equivalent(NamespacePolicy.Privileged));
    }
}
