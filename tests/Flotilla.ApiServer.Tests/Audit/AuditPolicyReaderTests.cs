using Flotilla.ApiServer.Audit;

namespace Flotilla.ApiServer.Tests.Audit;

public sealed class AuditPolicyReaderTests
{
    // The example policy of the Kubernetes documentation (tasks/debug/debug-cluster/audit), abridged.
    private const string DocumentationExample = """
        apiVersion: audit.k8s.io/v1 # This is required.
        kind: Policy
        # Don't generate audit events for all requests in RequestReceived stage.
        omitStages:
          - "RequestReceived"
        rules:
          # Log pod changes at RequestResponse level
          - level: RequestResponse
            resources:
            - group: ""
              # Resource "pods" doesn't match requests to any subresource of pods,
              # which is consistent with the RBAC policy.
              resources: ["pods"]
          # Log "pods/log", "pods/status" at Metadata level
          - level: Metadata
            resources:
            - group: ""
              resources: ["pods/log", "pods/status"]

          # Don't log requests to a configmap called "controller-leader"
          - level: None
            resources:
            - group: ""
              resources: ["configmaps"]
              resourceNames: ["controller-leader"]

          # Don't log watch requests by the "system:kube-proxy" on endpoints or services
          - level: None
            users: ["system:kube-proxy"]
            verbs: ["watch"]
            resources:
            - group: "" # core API group
              resources: ["endpoints", "services"]

          # Don't log authenticated requests to certain non-resource URL paths.
          - level: None
            userGroups: ["system:authenticated"]
            nonResourceURLs:
            - "/api*" # Wildcard matching.
            - "/version"

          # Log the request body of configmap changes in kube-system.
          - level: Request
            resources:
            - group: "" # core API group
              resources: ["configmaps"]
            # This rule only applies to resources in the "kube-system" namespace.
            # The empty string "" can be used to select non-namespaced resources.
            namespaces: ["kube-system"]

          # A catch-all rule to log all other requests at the Metadata level.
          - level: Metadata
            # Long-running requests like watches that fall under this rule will not
            # generate an audit event in RequestReceived.
            omitStages:
              - "RequestReceived"
            omitManagedFields: true
        """;

    [Fact]
    public void Read_DocumentationExample_EveryField()
    {
        var policy = AuditPolicyReader.Read(DocumentationExample);

        Assert.Equal([AuditStage.RequestReceived], policy.OmitStages);
        Assert.False(policy.OmitManagedFields);
        Assert.Equal(
            [AuditLevel.RequestResponse, AuditLevel.Metadata, AuditLevel.None, AuditLevel.None, AuditLevel.None, AuditLevel.Request, AuditLevel.Metadata],
            policy.Rules.Select(r => r.Level));
        var configmap = Assert.Single(policy.Rules[2].Resources);
        Assert.Equal("", configmap.Group);
        Assert.Equal(["configmaps"], configmap.Resources);
        Assert.Equal(["controller-leader"], configmap.ResourceNames);
        Assert.Equal(["system:kube-proxy"], policy.Rules[3].Users);
        Assert.Equal(["watch"], policy.Rules[3].Verbs);
        Assert.Equal(["system:authenticated"], policy.Rules[4].UserGroups);
        Assert.Equal(["/api*", "/version"], policy.Rules[4].NonResourceUrls);
        Assert.Equal(["kube-system"], policy.Rules[5].Namespaces);
        Assert.Equal([AuditStage.RequestReceived], policy.Rules[6].OmitStages);
        Assert.True(policy.Rules[6].OmitManagedFields);
        Assert.Null(policy.Rules[0].OmitManagedFields);
    }

    [Fact]
    public void Read_Json_IsAcceptedToo()
    {
        var policy = AuditPolicyReader.Read("""{"apiVersion":"audit.k8s.io/v1","kind":"Policy","rules":[{"level":"Request","unknownField":1}]}""");
        Assert.Equal(AuditLevel.Request, Assert.Single(policy.Rules).Level);
    }

    [Fact]
    public void DefaultPolicy_ProbesNone_CredentialsAndEverythingElseMetadata()
    {
        var checker = new AuditPolicyChecker(DefaultAuditPolicy.Policy);
        var admin = new Flotilla.ApiServer.Auth.UserInfo("admin", ["system:masters"]);
        Flotilla.ApiServer.Auth.Attributes Resource(string resource, string subresource = "", string group = "") =>
            new(admin, "create", true, group, resource, subresource, "default", "x");
        Flotilla.ApiServer.Auth.Attributes Path(string path) => new(admin, "get", false, Path: path);

        Assert.All(new[] { "/healthz", "/livez", "/readyz", "/readyz/ping", "/version", "/metrics" }, p => Assert.Equal(AuditLevel.None, checker.Evaluate(Path(p)).Level));
        Assert.Equal(AuditLevel.Metadata, checker.Evaluate(Path("/api/v1")).Level);
        Assert.Equal(AuditLevel.Metadata, checker.Evaluate(Resource("secrets")).Level);
        Assert.Equal(AuditLevel.Metadata, checker.Evaluate(Resource("configmaps")).Level);
        Assert.Equal(AuditLevel.Metadata, checker.Evaluate(Resource("serviceaccounts", "token")).Level);
        Assert.Equal(AuditLevel.Metadata, checker.Evaluate(Resource("tokenreviews", group: "authentication.k8s.io")).Level);
        Assert.Equal(AuditLevel.Metadata, checker.Evaluate(Resource("deployments", group: "apps")).Level);
        Assert.Equal([AuditStage.RequestReceived], checker.Evaluate(Resource("pods")).OmitStages);
    }

    [Fact]
    public void DefaultPolicy_WriteIfMissing_WritesOnceWithOwnerOnlyMode()
    {
        var dir = Directory.CreateTempSubdirectory("flotilla-audit-policy-");
        try
        {
            var path = Path.Combine(dir.FullName, "sub", "audit-policy.yaml");
            DefaultAuditPolicy.WriteIfMissing(path);
            Assert.Equal(DefaultAuditPolicy.Yaml, File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

            File.WriteAllText(path, "edited");
            DefaultAuditPolicy.WriteIfMissing(path);
            Assert.Equal("edited", File.ReadAllText(path));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("rules: [{level: Metadata}]", "failed decoding: expected apiVersion audit.k8s.io/v1 and kind Policy")]
    [InlineData("apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules: [{level: Metadata}]", "failed decoding: expected apiVersion audit.k8s.io/v1")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []", "loaded illegal policy with 0 rules")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy", "loaded illegal policy with 0 rules")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{users: [a]}]", "rules[0].level: Required value")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: Everything}]", "rules[0].level: Unsupported value: \"Everything\": supported values: \"None\", \"Metadata\", \"Request\", \"RequestResponse\"")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, omitStages: [Done]}]", "rules[0].omitStages[0]: Invalid value: \"Done\": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [Later]\nrules: [{level: None}]", "omitStages[0]: Invalid value: \"Later\"")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [metrics]}]", "rules[0].nonResourceURLs[0]: Invalid value: \"metrics\": non-resource URL rules must begin with a '/' character")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [\"/a*/b\"]}]", "rules[0].nonResourceURLs[0]: Invalid value: \"/a*/b\": non-resource URL wildcards '*' must be the final character of the rule")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, nonResourceURLs: [/x], namespaces: [a]}]", "rules[0].nonResourceURLs: Invalid value: \"/x\": rules cannot apply to both regular resources and non-resource URLs")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, resources: [{group: \"\", resourceNames: [x]}]}]", "rules[0].resources.resourceNames: Invalid value: \"x\": using resourceNames requires at least one resource")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, resources: [{group: Apps/v1}]}]", "rules[0].resources.group: Invalid value: \"Apps/v1\"")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [{level: None, users: alice}]", "failed decoding: users: expected a list of strings")]
    [InlineData("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: {level: None}", "failed decoding: rules: expected an array")]
    [InlineData("apiVersion: [", "failed decoding: ")]
    public void Read_InvalidPolicy_FailsWithUpstreamsMessage(string yaml, string message)
    {
        var error = Assert.Throws<AuditPolicyException>(() => AuditPolicyReader.Read(yaml));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_Missing_NamesThePath()
    {
        var error = Assert.Throws<AuditPolicyException>(() => AuditPolicyReader.ReadFile("/nonexistent/policy.yaml"));
        Assert.StartsWith("failed to read file path \"/nonexistent/policy.yaml\"", error.Message, StringComparison.Ordinal);
    }
}
