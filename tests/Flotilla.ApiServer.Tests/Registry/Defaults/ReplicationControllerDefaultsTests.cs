using Flotilla.ApiServer.Tests.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Defaults;

public sealed class ReplicationControllerDefaultsTests
{
    // Upstream's TestSetDefaultReplicationController: template labels fill a missing selector and missing labels.
    [Theory]
    [InlineData(null, null, """{"foo":"bar"}""", """{"foo":"bar"}""")]
    [InlineData("""{"bar":"foo"}""", null, """{"bar":"foo"}""", """{"foo":"bar"}""")]
    [InlineData("""{"bar":"foo"}""", """{"some":"other"}""", """{"bar":"foo"}""", """{"some":"other"}""")]
    [InlineData(null, """{"some":"other"}""", """{"foo":"bar"}""", """{"some":"other"}""")]
    public void Apply_TemplateLabels_FillSelectorAndLabels(
        string? labels, string? selector, string expectedLabels, string expectedSelector)
    {
        var rc = Defaulted.Json<V1ReplicationController>("""
            {"metadata":{"name":"rc","labels":LABELS},
             "spec":{"selector":SELECTOR,"template":{"metadata":{"labels":{"foo":"bar"}},"spec":{"containers":[{"name":"c","image":"i"}]}}}}
            """.Replace("LABELS", labels ?? "null", StringComparison.Ordinal).Replace("SELECTOR", selector ?? "null", StringComparison.Ordinal));

        JsonAssert.Equal(expectedLabels, rc.At("metadata.labels"));
        JsonAssert.Equal(expectedSelector, rc.At("spec.selector"));
    }

    [Theory]
    [InlineData("""{"template":{}}""", 1)]
    [InlineData("""{"replicas":0,"template":{}}""", 0)]
    [InlineData("""{"replicas":3}""", 3)]
    public void Apply_Replicas_OneByDefault(string spec, int expected)
    {
        var rc = Defaulted.SpecObject<V1ReplicationController>(spec);

        Assert.Equal(expected, rc.Spec.Replicas);
    }

    [Fact]
    public void Apply_NoTemplate_NoTemplateMade()
    {
        var rc = Defaulted.Object<V1ReplicationController>("""{"spec":{"selector":{"a":"b"}}}""");

        Assert.Null(rc.Spec.Template);
    }

    [Fact]
    public void Apply_Template_PodSpecDefaults()
    {
        var rc = Defaulted.Object<V1ReplicationController>("""
            {"spec":{"template":{"spec":{"initContainers":[{"name":"install","image":"busybox"}],"containers":[{"name":"c","image":"i"}]}}}}
            """);

        Assert.Equal("Always", rc.Spec.Template.Spec.InitContainers[0].ImagePullPolicy);
        Assert.Equal("Always", rc.Spec.Template.Spec.RestartPolicy);
    }
}
