using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Flotilla.E2E.Tests;

/// <summary>The official Python client (Debian's python3-kubernetes) against ./flotilla up: list, create, watch.</summary>
public sealed class PythonClientTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    // Debian's interpreter, which has the python3-kubernetes package (a pyenv python3 earlier on PATH does not).
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import json, sys, threading, time
        from kubernetes import client, config, watch
        config.load_kube_config(sys.argv[1])
        core = client.CoreV1Api()
        out = {}
        out["namespaces"] = sorted(n.metadata.name for n in core.list_namespace().items)
        created = core.create_namespaced_config_map("default", client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python"), data={"k": "v"}))
        out["created_rv"] = created.metadata.resource_version
        out["read"] = core.read_namespaced_config_map("from-python", "default").data
        seen = []
        def later():
            time.sleep(1)
            core.patch_namespaced_config_map("from-python", "default", {"metadata": {"labels": {"by": "python"}}})
        threading.Thread(target=later).start()
        w = watch.Watch()
        for event in w.stream(core.list_namespaced_config_map, "default", field_selector="metadata.name=from-python", resource_version=created.metadata.resource_version, timeout_seconds=20):
            seen.append([event["type"], event["object"].metadata.name, (event["object"].metadata.labels or {}).get("by")])
            w.stop()
        out["watched"] = seen
        print(json.dumps(out))
        """;

    [Fact]
    public async Task PythonClient_ListsCreatesAndWatches()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: ./test.sh installs python3-kubernetes through scripts/setup.sh");
        var script = Path.Combine(cluster.DataDir, "client.py");
        await File.WriteAllTextAsync(script, Script);
        var info = new ProcessStartInfo(Python, [script, cluster.Kubeconfig]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        Assert.True(p.ExitCode == 0, await stderr);

        var result = JsonNode.Parse(await stdout)!;
        Assert.Contains("kube-system", result["namespaces"]!.AsArray().Select(n => (string?)n));
        Assert.Equal("v", (string?)result["read"]!["k"]);
        var watched = result["watched"]!.AsArray()[0]!.AsArray();
        Assert.Equal("MODIFIED", (string?)watched[0]);
        Assert.Equal("from-python", (string?)watched[1]);
        Assert.Equal("python", (string?)watched[2]);
    }
}
