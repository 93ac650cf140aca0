namespace Flotilla.E2E.Tests;

/// <summary>
/// Jobs with the real kubectl on <c>./flotilla up --runtime hollow</c>: <c>create job</c>, <c>wait
/// --for=condition=Complete|Failed</c>, what <c>get jobs</c> and <c>describe job</c> print, Indexed jobs, a pod
/// failure policy, and <c>ttlSecondsAfterFinished</c> (simulated containers: <c>sleep N</c> and <c>exit N</c>).
/// </summary>
public sealed class JobTests() : OwnClusterTest("jobs")
{
    [Fact]
    public async Task Jobs_RunToCompletion_OrFail_AsKubectlExpects()
    {
        await using var up = await UpAsync(2);

        // A job from kubectl create: one pod, Complete, its log and events.
        await KubectlOkAsync("create", "job", "hello", "--image=busybox:1.35", "--", "sh", "-c", "echo hello from a job; sleep 1");
        Assert.Contains("condition met", await KubectlOkAsync("wait", "--for=condition=Complete", "job/hello", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Matches(@"^hello\s+Complete\s+1/1\s+\d+s\s+\d+s$", await KubectlOkAsync("get", "job", "hello", "--no-headers"));
        Assert.Equal("hello from a job", await KubectlOkAsync("logs", "job/hello"));
        var described = await KubectlOkAsync("describe", "job", "hello");
        Assert.Matches(@"Pods Statuses:\s+0 Active \(0 Ready\) / 1 Succeeded / 0 Failed", described);
        Assert.Contains("Completed", described, StringComparison.Ordinal);
        Assert.Contains("Created pod: hello-", described, StringComparison.Ordinal);

        var (code, _, stderr) = await FlotillaProcess.KubectlAsync(DataDir, Jobs, "apply", "-f", "-");
        Assert.True(code == 0, stderr);

        // Indexed: one pod per index, named and hostnamed by it.
        Assert.Contains("condition met", await KubectlOkAsync("wait", "--for=condition=Complete", "job/shards", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal("0-2", await KubectlOkAsync("get", "job", "shards", "-o", "jsonpath={.status.completedIndexes}"));
        var hosts = await KubectlOkAsync("get", "pods", "-l", "batch.kubernetes.io/job-name=shards", "-o", "jsonpath={.items[*].spec.hostname}");
        Assert.Equal(["shards-0", "shards-1", "shards-2"], hosts.Split(' ').Order());

        // A success policy: index 0 done is enough, the other indexes never run.
        Assert.Contains("condition met", await KubectlOkAsync("wait", "--for=condition=Complete", "job/leader", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal("SuccessPolicy Matched rules at index 0 0", await KubectlOkAsync("get", "job", "leader", "-o", "jsonpath={.status.conditions[?(@.type==\"Complete\")].reason} {.status.conditions[?(@.type==\"Complete\")].message} {.status.completedIndexes}"));

        // A failure policy rule fails the job at the first exit code 42, whatever the back-off limit.
        Assert.Contains("condition met", await KubectlOkAsync("wait", "--for=condition=Failed", "job/strict", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Matches(@"^strict\s+Failed\s+0/1", await KubectlOkAsync("get", "job", "strict", "--no-headers"));
        Assert.Contains("matching FailJob rule at index 0", await KubectlOkAsync("get", "job", "strict", "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].message}"), StringComparison.Ordinal);

        // With no retries left, one failure fails the job.
        Assert.Contains("condition met", await KubectlOkAsync("wait", "--for=condition=Failed", "job/once", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal("BackoffLimitExceeded", await KubectlOkAsync("get", "job", "once", "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}"));

        // A finished job with a TTL goes, with its pods.
        await WaitForAsync(() => KubectlOkAsync("get", "job", "brief", "--ignore-not-found", "-o", "name"), v => v.Length == 0);
        await WaitForAsync(() => KubectlOkAsync("get", "pods", "-l", "batch.kubernetes.io/job-name=brief", "-o", "name"), v => v.Length == 0);

        // CronJobs: a manual run from the template, then scheduled runs named by their minute, with history kept.
        await KubectlOkAsync("create", "cronjob", "tick", "--image=busybox:1.35", "--schedule=@every 5s", "--", "sh", "-c", "echo tick; exit 0");
        await KubectlOkAsync("create", "job", "tick-now", "--from=cronjob/tick");
        Assert.Contains("condition met", await KubectlOkAsync("wait", "--for=condition=Complete", "job/tick-now", "--timeout=60s"), StringComparison.Ordinal);
        Assert.Equal("manual", await KubectlOkAsync("get", "job", "tick-now", "-o", "jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}"));
        var scheduled = await WaitForAsync(
            () => KubectlOkAsync("get", "jobs", "-o", "jsonpath={range .items[?(@.metadata.ownerReferences[0].kind==\"CronJob\")]}{.metadata.name} {.status.succeeded}{\"\\n\"}{end}"),
            v => v.Split('\n').Any(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^tick-\d+ 1$")));
        Assert.Matches(@"tick-\d{8} 1", scheduled);
        Assert.Matches(@"^tick\s+@every 5s\s+<none>\s+False\s+\d\s+\d+s\s+\d+s$", await KubectlOkAsync("get", "cronjob", "tick", "--no-headers"));
        Assert.NotEqual(string.Empty, await KubectlOkAsync("get", "cronjob", "tick", "-o", "jsonpath={.status.lastSuccessfulTime}"));
        await KubectlOkAsync("delete", "cronjob", "tick");

        // Nothing keeps a finalizer once counted.
        Assert.Equal(string.Empty, await KubectlOkAsync("get", "pods", "-o", "jsonpath={.items[*].metadata.finalizers}"));

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    private const string Jobs = """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: shards}
        spec:
          completions: 3
          parallelism: 3
          completionMode: Indexed
          template:
            spec:
              restartPolicy: Never
              containers: [{name: w, image: busybox:1.35, command: [sh, -c, "sleep 1"]}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: leader}
        spec:
          completions: 3
          parallelism: 1
          completionMode: Indexed
          successPolicy:
            rules: [{succeededIndexes: "0"}]
          template:
            spec:
              restartPolicy: Never
              containers: [{name: w, image: busybox:1.35, command: [sh, -c, "sleep 1"]}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: strict}
        spec:
          backoffLimit: 5
          podFailurePolicy:
            rules: [{action: FailJob, onExitCodes: {operator: In, values: [42]}}]
          template:
            spec:
              restartPolicy: Never
              containers: [{name: w, image: busybox:1.35, command: [sh, -c, "exit 42"]}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: once}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers: [{name: w, image: busybox:1.35, command: [sh, -c, "exit 1"]}]
        ---
        apiVersion: batch/v1
        kind: Job
        metadata: {name: brief}
        spec:
          ttlSecondsAfterFinished: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: w, image: busybox:1.35, command: [sh, -c, "exit 0"]}]
        """;
}
