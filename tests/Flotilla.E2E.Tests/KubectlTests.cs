using System.Text.Json.Nodes;

namespace Flotilla.E2E.Tests;

/// <summary>The kubectl verbs of the API level (issue #3), run by the installed kubectl against ./flotilla up.</summary>
public sealed class KubectlTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: NAME
          labels: {app: NAME}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: NAME}
          template:
            metadata:
              labels: {app: NAME}
            spec:
              containers:
              - name: main
                image: busybox:1.35
                command: ["sleep", "3600"]
        """;

    [Fact]
    public async Task DeleteNamespace_WaitsUntilItsContentIsGone_ThenItIsGone()
    {
        await cluster.KubectlOkAsync("create", "namespace", "e2e-doomed");
        await cluster.KubectlOkAsync("-n", "e2e-doomed", "create", "configmap", "c", "--from-literal=a=b");
        await cluster.KubectlOkAsync("-n", "e2e-doomed", "create", "deployment", "web", "--image=busybox:1.35");

        Assert.Contains("namespace \"e2e-doomed\" deleted", await cluster.KubectlOkAsync("delete", "namespace", "e2e-doomed", "--timeout=60s"), StringComparison.Ordinal);

        var (code, _, stderr) = await cluster.KubectlAsync("get", "namespace", "e2e-doomed");
        Assert.NotEqual(0, code);
        Assert.Contains("Error from server (NotFound): namespaces \"e2e-doomed\" not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiResources_And_ApiVersions_ListServedKinds()
    {
        var resources = await cluster.KubectlOkAsync("api-resources");
        Assert.Contains("deployments", resources, StringComparison.Ordinal);
        Assert.Matches(@"pods\s+po\s+v1\s+true\s+Pod", resources);
        var versions = await cluster.KubectlOkAsync("api-versions");
        Assert.Contains("apps/v1", versions, StringComparison.Ordinal);
        Assert.Contains("rbac.authorization.k8s.io/v1", versions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SystemNamespaces_InEveryOutputFormat()
    {
        Assert.Contains("kube-system", await cluster.KubectlOkAsync("get", "ns"), StringComparison.Ordinal);
        Assert.Contains("namespace/default", await cluster.KubectlOkAsync("get", "ns", "-o", "name"), StringComparison.Ordinal);
        Assert.Equal("default", await cluster.KubectlOkAsync("get", "ns", "default", "-o", "jsonpath={.metadata.name}"));
        var json = JsonNode.Parse(await cluster.KubectlOkAsync("get", "ns", "default", "-o", "json"))!;
        Assert.Equal("Active", (string?)json["status"]!["phase"]);
        Assert.Contains("phase: Active", await cluster.KubectlOkAsync("get", "ns", "default", "-o", "yaml"), StringComparison.Ordinal);
        Assert.Contains("kubernetes.io/metadata.name=default", await cluster.KubectlOkAsync("get", "ns", "default", "--show-labels"), StringComparison.Ordinal);
        Assert.Contains("default", await cluster.KubectlOkAsync("get", "ns", "--field-selector", "metadata.name=default"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_Twice_CreatedUnchangedConfigured_AndTableColumns()
    {
        var manifest = Deployment.Replace("NAME", "applied", StringComparison.Ordinal);
        Assert.Contains("deployment.apps/applied created", await cluster.KubectlOkInputAsync(manifest, "apply", "-f", "-"), StringComparison.Ordinal);
        Assert.Contains("deployment.apps/applied unchanged", await cluster.KubectlOkInputAsync(manifest, "apply", "-f", "-"), StringComparison.Ordinal);
        Assert.Contains("deployment.apps/applied configured", await cluster.KubectlOkInputAsync(manifest.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal), "apply", "-f", "-"), StringComparison.Ordinal);

        var wide = await cluster.KubectlOkAsync("get", "deploy", "applied", "-o", "wide");
        Assert.Matches(@"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR", wide);
        // The controller manager has made the pods; no node runs them, so none is ready.
        Assert.Matches(@"applied\s+0/3\s+[0-3]\s+0\s+\S+\s+main\s+busybox:1.35\s+app=applied", wide);
    }

    [Fact]
    public async Task LabelAnnotatePatchScale_ChangeTheObject()
    {
        await cluster.KubectlOkInputAsync(Deployment.Replace("NAME", "edited", StringComparison.Ordinal), "create", "-f", "-");

        await cluster.KubectlOkAsync("label", "deploy", "edited", "tier=web");
        await cluster.KubectlOkAsync("annotate", "deploy", "edited", "owner=team-a");
        await cluster.KubectlOkAsync("scale", "deploy", "edited", "--replicas=4");
        await cluster.KubectlOkAsync("patch", "deploy", "edited", "--type=merge", "-p", """{"spec":{"minReadySeconds":5}}""");
        await cluster.KubectlOkAsync("patch", "deploy", "edited", "--type=json", "-p", """[{"op":"add","path":"/metadata/labels/patched","value":"json"}]""");
        await cluster.KubectlOkAsync("patch", "deploy", "edited", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"busybox:1.36"}]}}}}""");

        var json = JsonNode.Parse(await cluster.KubectlOkAsync("get", "deploy", "edited", "-o", "json"))!;
        Assert.Equal("web", (string?)json["metadata"]!["labels"]!["tier"]);
        Assert.Equal("json", (string?)json["metadata"]!["labels"]!["patched"]);
        Assert.Equal("team-a", (string?)json["metadata"]!["annotations"]!["owner"]);
        Assert.Equal(4, (int?)json["spec"]!["replicas"]);
        Assert.Equal(5, (int?)json["spec"]!["minReadySeconds"]);
        Assert.Equal("busybox:1.36", (string?)json["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Contains("edited", await cluster.KubectlOkAsync("get", "deploy", "-l", "tier=web"), StringComparison.Ordinal);
        Assert.DoesNotContain("edited", await cluster.KubectlOkAsync("get", "deploy", "-l", "tier!=web"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_AndDelete_WithWaitForDelete()
    {
        await cluster.KubectlOkAsync("create", "configmap", "replaced", "--from-literal=a=1", "--dry-run=client", "-o", "yaml");
        var manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: replaced\ndata:\n  a: \"1\"\n";
        await cluster.KubectlOkInputAsync(manifest, "create", "-f", "-");
        await cluster.KubectlOkInputAsync(manifest.Replace("\"1\"", "\"2\"", StringComparison.Ordinal), "replace", "-f", "-");
        Assert.Equal("2", await cluster.KubectlOkAsync("get", "cm", "replaced", "-o", "jsonpath={.data.a}"));

        Assert.Contains("configmap \"replaced\" deleted", await cluster.KubectlOkAsync("delete", "cm", "replaced"), StringComparison.Ordinal);
        var (code, _, stderr) = await cluster.KubectlAsync("get", "cm", "replaced");
        Assert.Equal(1, code);
        Assert.Contains("Error from server (NotFound): configmaps \"replaced\" not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_WithFinalizer_WaitsUntilFinalizerRemoved()
    {
        await cluster.KubectlOkInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n", "create", "-f", "-");
        await cluster.KubectlOkAsync("delete", "cm", "held", "--wait=false");
        Assert.NotEmpty(await cluster.KubectlOkAsync("get", "cm", "held", "-o", "jsonpath={.metadata.deletionTimestamp}"));

        var wait = cluster.KubectlAsync("wait", "--for=delete", "cm/held", "--timeout=60s");
        await cluster.KubectlOkAsync("patch", "cm", "held", "--type=json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");
        var (code, _, stderr) = await wait;
        Assert.True(code == 0, stderr);
    }

    [Fact]
    public async Task Errors_ArePrintedAsKubernetesStatus()
    {
        var (code, _, stderr) = await cluster.KubectlInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n", "create", "-f", "-");
        Assert.NotEqual(0, code);
        Assert.Contains("The ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\"", stderr, StringComparison.Ordinal);

        await cluster.KubectlOkAsync("create", "namespace", "dup-check", "--dry-run=client", "-o", "name");
        var (dupCode, _, dupErr) = await cluster.KubectlInputAsync("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n", "create", "-f", "-");
        Assert.NotEqual(0, dupCode);
        Assert.Contains("Error from server (AlreadyExists): error when creating \"STDIN\": namespaces \"default\" already exists", dupErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ChunkSize_And_AllNamespaces()
    {
        await cluster.KubectlOkInputAsync("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: chunks\n", "create", "-f", "-");
        for (var i = 0; i < 5; i++)
        {
            await cluster.KubectlOkInputAsync($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n  namespace: chunks\n", "create", "-f", "-");
        }

        // Every namespace also holds the cluster CA (kube-root-ca.crt), published by the controller manager, as upstream's.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await cluster.KubectlAsync("get", "cm", "kube-root-ca.crt", "-n", "chunks")).Code != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "kube-root-ca.crt was not published in 30 s");
            await Task.Delay(100);
        }

        var chunked = await cluster.KubectlOkAsync("get", "cm", "-n", "chunks", "--chunk-size=2", "-o", "name");
        Assert.Equal(6, chunked.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("configmap/kube-root-ca.crt", chunked, StringComparison.Ordinal);
        var all = await cluster.KubectlOkAsync("get", "cm", "-A");
        Assert.Matches(@"NAMESPACE\s+NAME\s+DATA\s+AGE", all);
        Assert.Matches(@"chunks\s+c3\s+0", all);
    }

    [Fact]
    public async Task Get_Watch_PrintsChanges()
    {
        var watch = cluster.KubectlAsync("get", "cm", "-n", "default", "--watch-only", "--request-timeout=8s", "-o", "name");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await cluster.KubectlOkInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n", "create", "-f", "-");
        var (_, stdout, _) = await watch;
        Assert.Contains("configmap/watched", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRaw_AndDescribe()
    {
        var raw = JsonNode.Parse(await cluster.KubectlOkAsync("get", "--raw", "/api/v1"))!;
        Assert.Equal("APIResourceList", (string?)raw["kind"]);
        var described = await cluster.KubectlOkAsync("describe", "ns", "kube-system");
        Assert.Matches(@"Name:\s+kube-system", described);
        Assert.Matches(@"Status:\s+Active", described);
    }

    [Fact]
    public async Task CreateGenerators_SendProtobuf_AndObjectsGetUpstreamDefaults()
    {
        await cluster.KubectlOkAsync("create", "namespace", "gen");
        await cluster.KubectlOkAsync("create", "deployment", "web", "-n", "gen", "--image=busybox:1.35", "--replicas=2", "--port=80");
        await cluster.KubectlOkAsync("create", "configmap", "cfg", "-n", "gen", "--from-literal=a=b");
        await cluster.KubectlOkAsync("create", "secret", "generic", "sec", "-n", "gen", "--from-literal=k=v");
        await cluster.KubectlOkAsync("create", "service", "clusterip", "svc", "-n", "gen", "--tcp=80:8080");
        await cluster.KubectlOkAsync("create", "job", "job", "-n", "gen", "--image=busybox:1.35");
        await cluster.KubectlOkAsync("create", "cronjob", "cron", "-n", "gen", "--image=busybox:1.35", "--schedule=*/5 * * * *");
        await cluster.KubectlOkAsync("create", "serviceaccount", "robot", "-n", "gen");
        await cluster.KubectlOkAsync("create", "role", "reader", "-n", "gen", "--verb=get", "--resource=pods");

        var deployment = JsonNode.Parse(await cluster.KubectlOkAsync("get", "deploy", "web", "-n", "gen", "-o", "json"))!;
        Assert.Equal("RollingUpdate", (string?)deployment["spec"]!["strategy"]!["type"]);
        Assert.Equal("25%", (string?)deployment["spec"]!["strategy"]!["rollingUpdate"]!["maxSurge"]);
        Assert.Equal(10, (int?)deployment["spec"]!["revisionHistoryLimit"]);
        Assert.Equal(600, (int?)deployment["spec"]!["progressDeadlineSeconds"]);
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("IfNotPresent", (string?)container["imagePullPolicy"]);
        Assert.Equal("TCP", (string?)container["ports"]![0]!["protocol"]);
        Assert.Equal("ClusterFirst", (string?)deployment["spec"]!["template"]!["spec"]!["dnsPolicy"]);

        var services = await cluster.KubectlOkAsync("get", "svc", "svc", "-n", "gen");
        Assert.Matches(@"svc\s+ClusterIP\s+10\.43\.\d+\.\d+\s+<none>\s+80/TCP", services);
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(await cluster.KubectlOkAsync("get", "secret", "sec", "-n", "gen", "-o", "jsonpath={.data.k}"))));
        Assert.Equal("6", await cluster.KubectlOkAsync("get", "job", "job", "-n", "gen", "-o", "jsonpath={.spec.backoffLimit}"));
    }

    [Fact]
    public async Task Edit_WithAnEditorScript_UpdatesTheObject()
    {
        await cluster.KubectlOkInputAsync("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edited-cm\ndata:\n  a: \"1\"\n", "create", "-f", "-");
        var editor = Path.Combine(cluster.DataDir, "editor.sh");
        await File.WriteAllTextAsync(editor, "#!/bin/sh\nsed -i 's/^  a: .*/  a: \"9\"/' \"$1\"\n");
        File.SetUnixFileMode(editor, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (code, stdout, stderr) = await cluster.KubectlEnvAsync(null, new Dictionary<string, string> { ["KUBE_EDITOR"] = editor }, "edit", "cm", "edited-cm");

        Assert.True(code == 0, stderr);
        Assert.Contains("configmap/edited-cm edited", stdout, StringComparison.Ordinal);
        Assert.Equal("9", await cluster.KubectlOkAsync("get", "cm", "edited-cm", "-o", "jsonpath={.data.a}"));
    }

    [Fact]
    public async Task Explain_PrintsUpstreamFieldDocs()
    {
        var explained = await cluster.KubectlOkAsync("explain", "deployment.spec.strategy");
        Assert.Contains("KIND:       Deployment", explained, StringComparison.Ordinal);
        Assert.Contains("rollingUpdate", explained, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteNamespace_TurnsTerminating_AndRefusesNewContent()
    {
        await cluster.KubectlOkAsync("create", "namespace", "doomed");
        // An object whose finalizer nobody removes keeps the namespace Terminating while the test looks.
        await cluster.KubectlOkInputAsync("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","finalizers":["example.com/hold"]}}""", "create", "-n", "doomed", "-f", "-");
        await cluster.KubectlOkAsync("delete", "namespace", "doomed", "--wait=false");

        Assert.Equal("Terminating", await cluster.KubectlOkAsync("get", "ns", "doomed", "-o", "jsonpath={.status.phase}"));
        var (code, _, stderr) = await cluster.KubectlAsync("create", "configmap", "late", "-n", "doomed");
        Assert.NotEqual(0, code);
        Assert.Contains("unable to create new content in namespace doomed because it is being terminated", stderr, StringComparison.Ordinal);
        await cluster.KubectlOkAsync("patch", "configmap", "held", "-n", "doomed", "--type=merge", "-p", """{"metadata":{"finalizers":null}}""");
    }

    [Fact]
    public async Task Autoscale_CreatesAnHpaReadableInBothVersions()
    {
        await cluster.KubectlOkInputAsync(Deployment.Replace("NAME", "scaled-web", StringComparison.Ordinal), "create", "-f", "-");
        await cluster.KubectlOkAsync("autoscale", "deployment", "scaled-web", "--min=1", "--max=3", "--cpu-percent=50");

        Assert.Matches(@"scaled-web\s+Deployment/scaled-web\s+cpu: <unknown>/50%\s+1\s+3", await cluster.KubectlOkAsync("get", "hpa", "scaled-web"));
        Assert.Equal("50", await cluster.KubectlOkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "scaled-web", "-o", "jsonpath={.spec.targetCPUUtilizationPercentage}"));
    }

    [Fact]
    public async Task ApplyServerDryRun_StoresNothing_AndCascadeBackgroundDeletes()
    {
        var manifest = Deployment.Replace("NAME", "dry", StringComparison.Ordinal);
        Assert.Contains("deployment.apps/dry created (server dry run)", await cluster.KubectlOkInputAsync(manifest, "apply", "--dry-run=server", "-f", "-"), StringComparison.Ordinal);
        var (code, _, _) = await cluster.KubectlAsync("get", "deploy", "dry");
        Assert.Equal(1, code);

        await cluster.KubectlOkInputAsync(manifest, "apply", "-f", "-");
        Assert.Contains("deployment.apps \"dry\" deleted", await cluster.KubectlOkAsync("delete", "deploy", "dry", "--cascade=background"), StringComparison.Ordinal);
        var (gone, _, _) = await cluster.KubectlAsync("get", "deploy", "dry");
        Assert.Equal(1, gone);
    }

    [Fact]
    public async Task Rbac_ImpersonatedUser_IsForbiddenUntilARoleBindingGrantsIt()
    {
        await cluster.KubectlOkAsync("create", "namespace", "rbac-e2e");
        var (denied, _, deniedErr) = await cluster.KubectlAsync("--as=jane", "get", "pods", "-n", "rbac-e2e");
        Assert.NotEqual(0, denied);
        Assert.Contains("Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"rbac-e2e\"", deniedErr, StringComparison.Ordinal);

        await cluster.KubectlOkAsync("create", "role", "pod-reader", "-n", "rbac-e2e", "--verb=get,list,watch", "--resource=pods");
        await cluster.KubectlOkAsync("create", "rolebinding", "jane-reads", "-n", "rbac-e2e", "--role=pod-reader", "--user=jane");

        var (allowed, _, allowedErr) = await cluster.KubectlAsync("--as=jane", "get", "pods", "-n", "rbac-e2e");
        Assert.True(allowed == 0, allowedErr);
        var (elsewhere, _, _) = await cluster.KubectlAsync("--as=jane", "get", "pods", "-n", "default");
        Assert.NotEqual(0, elsewhere);
        var (write, _, _) = await cluster.KubectlAsync("--as=jane", "delete", "namespace", "rbac-e2e");
        Assert.NotEqual(0, write);

        // auth can-i and auth whoami (protobuf bodies) answer from the same authorizer.
        Assert.Equal("yes", (await cluster.KubectlOkAsync("auth", "can-i", "list", "pods", "-n", "rbac-e2e", "--as=jane")).Trim());
        var (cannot, no, _) = await cluster.KubectlAsync("auth", "can-i", "delete", "pods", "-n", "rbac-e2e", "--as=jane");
        Assert.Equal(1, cannot);
        Assert.Equal("no", no.Trim());
        Assert.Matches(@"Username\s+admin", await cluster.KubectlOkAsync("auth", "whoami"));
        Assert.Matches(@"Username\s+jane", await cluster.KubectlOkAsync("--as=jane", "auth", "whoami"));
    }

    [Fact]
    public async Task Quota_StopsTheFourthPodOfAThreePodQuota_AndPodsGetTheirServiceAccount()
    {
        await cluster.KubectlOkAsync("create", "namespace", "quota-e2e");
        await cluster.KubectlOkAsync("create", "quota", "three", "-n", "quota-e2e", "--hard=pods=3");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await cluster.KubectlOkAsync("get", "quota", "three", "-n", "quota-e2e", "-o", "jsonpath={.status.used.pods}")).Trim() != "0")
        {
            Assert.True(DateTime.UtcNow < deadline, "the quota's status was never synced");
            await Task.Delay(100);
        }

        for (var i = 1; i <= 3; i++)
        {
            await cluster.KubectlOkAsync("run", $"p{i}", "-n", "quota-e2e", "--image=busybox:1.35", "--restart=Never");
        }

        var (code, _, err) = await cluster.KubectlAsync("run", "p4", "-n", "quota-e2e", "--image=busybox:1.35", "--restart=Never");
        Assert.NotEqual(0, code);
        Assert.Contains("Error from server (Forbidden): pods \"p4\" is forbidden: exceeded quota: three, requested: pods=1, used: pods=3, limited: pods=3", err, StringComparison.Ordinal);
        Assert.Equal("default", await cluster.KubectlOkAsync("get", "pod", "p1", "-n", "quota-e2e", "-o", "jsonpath={.spec.serviceAccountName}"));
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", await cluster.KubectlOkAsync("get", "pod", "p1", "-n", "quota-e2e", "-o", "jsonpath={.spec.containers[0].volumeMounts[0].mountPath}"));
        Assert.Matches(@"pods\s+3\s+3", await cluster.KubectlOkAsync("describe", "quota", "three", "-n", "quota-e2e"));
    }

    [Fact]
    public async Task Rbac_AuthCanIList_PrintsTheUsersRules_AndDescribeShowsTheAggregatedAdminRole()
    {
        await cluster.KubectlOkAsync("create", "namespace", "rbac-list");
        await cluster.KubectlOkAsync("create", "role", "pod-reader", "-n", "rbac-list", "--verb=get,list,watch", "--resource=pods");
        await cluster.KubectlOkAsync("create", "rolebinding", "lister-reads", "-n", "rbac-list", "--role=pod-reader", "--user=lister");

        // SelfSubjectRulesReview (a protobuf body), compacted and sorted by kubectl as against Kubernetes.
        var list = await cluster.KubectlOkAsync("auth", "can-i", "--list", "-n", "rbac-list", "--as=lister");
        Assert.Matches(@"Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs", list);
        Assert.Matches(@"\npods\s+\[\]\s+\[\]\s+\[get list watch\]", list);
        Assert.Matches(@"selfsubjectrulesreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", list);
        Assert.Matches(@"\s+\[/apis/\*\]\s+\[\]\s+\[get\]", list);
        Assert.DoesNotMatch(@"\npods\s", await cluster.KubectlOkAsync("auth", "can-i", "--list", "-n", "default", "--as=lister"));
        Assert.Matches(@"\*\.\*\s+\[\]\s+\[\]\s+\[\*\]", await cluster.KubectlOkAsync("auth", "can-i", "--list"));

        // admin's rules are aggregated from edit (itself from view) and system:aggregate-to-admin, in the background.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string admin;
        while (!(admin = await cluster.KubectlOkAsync("describe", "clusterrole", "admin")).Contains("localsubjectaccessreviews", StringComparison.Ordinal)
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Matches(@"Name:\s+admin", admin);
        Assert.Matches(@"localsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", admin);
        Assert.Matches(@"pods/log\s+\[\]\s+\[\]\s+\[get list watch\]", admin);
        Assert.Matches(@"rolebindings\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create delete deletecollection get list patch update watch\]", admin);

        // Escalation prevention: lister cannot hand out what lister does not hold.
        await cluster.KubectlOkAsync("create", "role", "binder", "-n", "rbac-list", "--verb=create", "--resource=rolebindings");
        await cluster.KubectlOkAsync("create", "rolebinding", "lister-binds", "-n", "rbac-list", "--role=binder", "--user=lister");
        var (code, _, err) = await cluster.KubectlAsync("--as=lister", "create", "rolebinding", "x", "-n", "rbac-list", "--clusterrole=edit", "--user=other");
        Assert.NotEqual(0, code);
        Assert.Contains("error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io \"x\" is forbidden: user \"lister\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:", err, StringComparison.Ordinal);
    }
}
