namespace Flotilla.E2E.Tests;

/// <summary>Node objects the tests create by hand where no kubelet runs: schedulable, with room for 110 pods.</summary>
internal static class NodeManifests
{
    public const string E2eNode = """
        apiVersion: v1
        kind: Node
        metadata:
          name: e2e-node
          labels: {kubernetes.io/hostname: e2e-node}
        status:
          capacity: {cpu: "2", memory: 4Gi, pods: "110"}
          allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
        """;
}
