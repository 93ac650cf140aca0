using Flotilla.ApiServer.OpenApi;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.OpenApi;

public sealed class ModelDocsTests
{
    [Theory]
    [InlineData("\n            PodSpec is a description of a pod.\n            ", "PodSpec is a description of a pod.")]
    [InlineData("\n  List of containers belonging to the pod.\n  Cannot be updated.\n  ", "List of containers belonging to the pod. Cannot be updated.")]
    [InlineData("\n  First paragraph\n  wrapped.\n  \n  Second.\n  ", "First paragraph wrapped.\n\nSecond.")]
    [InlineData("\n  \n  ", "")]
    public void Normalize_WrappedSummary_JoinsLinesKeepsParagraphs(string summary, string expected)
    {
        Assert.Equal(expected, ModelDocs.Normalize(summary));
    }

    [Fact]
    public void Load_BuildOutput_FindsThePackageDocs()
    {
        var docs = ModelDocs.Load();

        Assert.NotNull(docs.Source);
        Assert.True(docs.Count > 3000, $"{docs.Count} descriptions");
        Assert.Equal("PodSpec is a description of a pod.", docs.ForType(typeof(V1PodSpec)));
        Assert.StartsWith("List of containers belonging to the pod.", docs.ForProperty(typeof(V1PodSpec).GetProperty(nameof(V1PodSpec.Containers))!), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_HasNoDescriptions()
    {
        Assert.Null(ModelDocs.Empty.ForType(typeof(V1PodSpec)));
        Assert.Null(ModelDocs.Empty.Source);
    }
}
