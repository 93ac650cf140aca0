using Flotilla.Controllers.Deployment;
using k8s.Models;

namespace Flotilla.Controllers.Tests.Deployment;

public sealed class PodTemplateHashTests
{
    [Fact]
    public void TheHash_IsStable_UsesUpstreamsAlphabet_AndChangesWithTheTemplateAndTheCollisionCount()
    {
        var hash = PodTemplateHash.Compute(Template("busybox:1.35"), null);

        Assert.Equal(hash, PodTemplateHash.Compute(Template("busybox:1.35"), null));
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
        Assert.NotEqual(hash, PodTemplateHash.Compute(Template("busybox:1.36"), null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(Template("busybox:1.35"), 1));
    }

    [Fact]
    public void Equality_IgnoresTheHashLabel_AndUnsetVersusEmpty()
    {
        var withHash = Template("busybox:1.35");
        withHash.Metadata.Labels[PodTemplateHash.Label] = "abc";
        var withEmpties = Template("busybox:1.35");
        withEmpties.Metadata.Annotations = new Dictionary<string, string>();
        withEmpties.Spec.Volumes = [];

        Assert.True(PodTemplateHash.EqualIgnoringHash(Template("busybox:1.35"), withHash));
        Assert.True(PodTemplateHash.EqualIgnoringHash(Template("busybox:1.35"), withEmpties));
        Assert.False(PodTemplateHash.EqualIgnoringHash(Template("busybox:1.35"), Template("busybox:1.36")));
    }

    private static V1PodTemplateSpec Template(string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = image }] },
    };
}
