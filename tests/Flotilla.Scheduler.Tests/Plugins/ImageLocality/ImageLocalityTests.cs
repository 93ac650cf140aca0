using Flotilla.Scheduler.Framework;
using Flotilla.Scheduler.Plugins.ImageLocality;
using Flotilla.Scheduler.Tests.Testing;
using k8s.Models;

namespace Flotilla.Scheduler.Tests.Plugins.ImageLocality;

public class ImageLocalityTests
{
    private const long Mb = 1024 * 1024;

    private static readonly V1ContainerImage[] Node403002000 = [Image(40, "gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"), Image(300, "gcr.io/300:latest", "gcr.io/300:v1"), Image(2000, "gcr.io/2000:latest")];
    private static readonly V1ContainerImage[] Node25010 = [Image(250, "gcr.io/250:latest"), Image(10, "gcr.io/10:latest", "gcr.io/10:v1")];
    private static readonly V1ContainerImage[] Node60040900 = [Image(600, "gcr.io/600:latest"), Image(40, "gcr.io/40:latest"), Image(900, "gcr.io/900:latest")];
    private static readonly V1ContainerImage[] Node300600900 = [Image(300, "gcr.io/300:latest"), Image(600, "gcr.io/600:latest"), Image(900, "gcr.io/900:latest")];
    private static readonly V1ContainerImage[] Node400030 = [Image(4000, "gcr.io/4000:latest"), Image(30, "gcr.io/30:latest")];
    private static readonly V1ContainerImage[] Node203040 = [Image(20, "gcr.io/20:latest"), Image(30, "gcr.io/30:latest"), Image(40, "gcr.io/40:latest")];

    // Upstream image_locality_test.go TestImageLocalityPriority: the pod's images (init containers after "|"),
    // each node's images, and the expected scores.
    public static TheoryData<string, string, V1ContainerImage[][], long[]> Cases => new()
    {
        { "two images spread on two nodes, prefer the larger image one", "gcr.io/40 gcr.io/250", [Node403002000, Node25010], [0, 5] },
        { "two images on one node, prefer this node", "gcr.io/40 gcr.io/300", [Node403002000, Node25010], [7, 0] },
        { "if exceed limit, use limit", "gcr.io/10 gcr.io/4000", [Node400030, Node25010], [100, 0] },
        { "if exceed limit, use limit (with node which has no images present)", "gcr.io/10 gcr.io/4000", [Node400030, Node25010, []], [66, 0, 0] },
        { "pod with multiple large images, node2 is preferred", "gcr.io/300 gcr.io/600 gcr.io/900", [Node60040900, Node300600900, []], [32, 36, 0] },
        { "pod with multiple small images", "gcr.io/30 gcr.io/40", [Node203040, Node400030], [1, 0] },
        { "include InitContainers: two images spread on two nodes, prefer the larger image one", "gcr.io/30 | gcr.io/300", [Node403002000, Node203040], [6, 0] },
        { "Docker Hub short name matches the canonical name a node reports", "busybox", [[Image(1000, "docker.io/library/busybox:latest")], []], [48, 0] },
        { "canonical name matches the short name a node reports", "docker.io/library/busybox:1.35", [[Image(1000, "busybox:1.35")], []], [48, 0] },
        { "a user's Docker Hub repository", "someone/tool:2", [[Image(1000, "docker.io/someone/tool:2")], []], [48, 0] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_ImagesOnNodes_ScaledBySpread(string name, string images, V1ContainerImage[][] nodeImages, long[] expected)
    {
        var nodes = nodeImages.Select((imgs, i) => Nodes.Info(Make.Node($"node{i + 1}", images: imgs))).ToArray();
        SetImageStates(nodes);
        var plugin = new ImageLocalityPlugin(new SnapshotHandle(Nodes.Lister(nodes)));
        var pod = Pod(images);

        var scores = nodes.Select(n => plugin.Score(new CycleState(), pod, n)).ToList();

        Assert.All(scores, s => Assert.Equal(StatusCode.Success, s.Status.Code));
        Assert.True(expected.SequenceEqual(scores.Select(s => s.Score)), $"{name}: {string.Join(", ", scores.Select(s => s.Score))}");
    }

    [Theory]
    [InlineData("busybox", "docker.io/library/busybox:latest")]
    [InlineData("busybox:1.35", "docker.io/library/busybox:1.35")]
    [InlineData("library/busybox", "docker.io/library/busybox:latest")]
    [InlineData("someone/tool", "docker.io/someone/tool:latest")]
    [InlineData("index.docker.io/library/busybox:1", "docker.io/library/busybox:1")]
    [InlineData("gcr.io/40", "gcr.io/40:latest")]
    [InlineData("gcr.io:5000/root", "gcr.io:5000/root:latest")]
    [InlineData("localhost/app", "localhost/app:latest")]
    [InlineData("root@sha256:abc", "docker.io/library/root@sha256:abc")]
    [InlineData("registry.local:5000/app:v2@sha256:abc", "registry.local:5000/app:v2@sha256:abc")]
    public void Normalize_Reference_Canonical(string image, string expected)
    {
        Assert.Equal(expected, ImageNames.Normalize(image));
    }

    [Theory]
    [InlineData("busybox", new[] { "docker.io/library/busybox:latest", "busybox:latest" })]
    [InlineData("docker.io/library/busybox:1.35", new[] { "docker.io/library/busybox:1.35", "busybox:1.35" })]
    [InlineData("gcr.io:5000/root", new[] { "gcr.io:5000/root:latest" })]
    [InlineData("root:tag", new[] { "docker.io/library/root:tag", "root:tag" })]
    public void Candidates_Reference_CanonicalShortAndUpstream(string image, string[] expected)
    {
        Assert.Equal(expected, ImageNames.Candidates(image));
    }

    // What the scheduler cache computes: each image name on a node, with how many nodes list it.
    private static void SetImageStates(NodeInfo[] nodes)
    {
        var holders = nodes
            .SelectMany(n => (n.Node!.Status.Images ?? []).SelectMany(i => i.Names).Distinct().Select(name => (name, n)))
            .GroupBy(x => x.name)
            .ToDictionary(g => g.Key, g => g.Count());
        foreach (var node in nodes)
        {
            var states = new Dictionary<string, ImageStateSummary>(StringComparer.Ordinal);
            foreach (var image in node.Node!.Status.Images ?? [])
            {
                foreach (var imageName in image.Names)
                {
                    states[imageName] = new ImageStateSummary(image.SizeBytes ?? 0, holders[imageName]);
                }
            }

            node.SetImageStates(states);
        }
    }

    private static V1ContainerImage Image(long megabytes, params string[] names) => new() { Names = names, SizeBytes = megabytes * Mb };

    private static V1Pod Pod(string images)
    {
        var parts = images.Split('|');
        var pod = Make.Pod("p");
        pod.Spec.Containers = [.. parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((image, i) => new V1Container { Name = $"c{i}", Image = image })];
        if (parts.Length > 1)
        {
            pod.Spec.InitContainers = [.. parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((image, i) => new V1Container { Name = $"i{i}", Image = image })];
        }

        return pod;
    }
}
