using System.Globalization;
using System.Text;
using Flotilla.Api.Errors;
using Flotilla.ApiServer.Audit;
using Flotilla.ApiServer.Auth;

namespace Flotilla.ApiServer.Tests.Audit;

public sealed class AuditEventWriterTests
{
    // A line of a real kube-apiserver audit log (v1.22, log backend): a kube-controller-manager lease read, forbidden.
    private const string UpstreamLine =
        """{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"f9e91b43-77c3-4622-9d2a-13838f0f4984","stage":"ResponseComplete","requestURI":"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=5s","verb":"get","user":{"username":"system:kube-controller-manager","groups":["system:authenticated"]},"sourceIPs":["192.168.1.10"],"userAgent":"kube-controller-manager/v1.22.0 (linux/amd64) kubernetes/c2b5237/leader-election","objectRef":{"resource":"leases","namespace":"kube-system","name":"kube-controller-manager","apiGroup":"coordination.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"status":"Failure","reason":"Forbidden","code":403},"requestReceivedTimestamp":"2021-09-13T10:00:06.493243Z","stageTimestamp":"2021-09-13T10:00:06.581845Z","annotations":{"authorization.k8s.io/decision":"forbid","authorization.k8s.io/reason":""}}""";

    private static string Text(AuditLine line)
    {
        try
        {
            return Encoding.UTF8.GetString(line.Span);
        }
        finally
        {
            line.Release();
        }
    }

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Serialize_UpstreamEvent_SameBytes()
    {
        var ev = new AuditEvent
        {
            Level = AuditLevel.Metadata,
            AuditId = "f9e91b43-77c3-4622-9d2a-13838f0f4984",
            Stage = AuditStage.ResponseComplete,
            RequestUri = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=5s",
            Verb = "get",
            User = new UserInfo("system:kube-controller-manager", ["system:authenticated"]),
            SourceIps = ["192.168.1.10"],
            UserAgent = "kube-controller-manager/v1.22.0 (linux/amd64) kubernetes/c2b5237/leader-election",
            ObjectRef = new AuditObjectReference
            {
                Resource = "leases",
                Namespace = "kube-system",
                Name = "kube-controller-manager",
                ApiGroup = "coordination.k8s.io",
                ApiVersion = "v1",
            },
            ResponseStatus = new AuditResponseStatus(403, "Failure", Reason: "Forbidden"),

            // Ticks below the microsecond are cut, as Go's MicroTime formats them.
            RequestReceivedTimestamp = Time("2021-09-13T10:00:06.4932439Z"),
            StageTimestamp = Time("2021-09-13T12:00:06.5818451+02:00"),
        };
        ev.Annotate(AuditContext.ReasonAnnotation, string.Empty);
        ev.Annotate(AuditContext.DecisionAnnotation, "forbid");

        Assert.Equal(UpstreamLine + "\n", Text(AuditEventWriter.Serialize(ev)));
    }

    [Fact]
    public void Serialize_EveryField_InUpstreamsOrder()
    {
        var ev = new AuditEvent
        {
            Level = AuditLevel.RequestResponse,
            AuditId = "7b5a1f5e-2d0e-4b8e-9d83-8a3d0c1b2a10",
            Stage = AuditStage.ResponseComplete,
            RequestUri = "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create&dryRun=All",
            Verb = "create",
            User = new UserInfo("admin", ["system:masters", "system:authenticated"]),
            ImpersonatedUser = new UserInfo("jane", ["system:authenticated"]),
            SourceIps = ["10.0.0.7", "127.0.0.1"],
            UserAgent = "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9",
            ObjectRef = new AuditObjectReference { Resource = "configmaps", Namespace = "default", Name = "café", Uid = "u-1", ApiVersion = "v1", ResourceVersion = "7", Subresource = "status" },
            ResponseStatus = new AuditResponseStatus(422, "Failure", "ConfigMap \"café\" is invalid: data: Invalid value", "Invalid",
                new StatusDetails("café", Kind: "ConfigMap", Causes: [new StatusCause("FieldValueInvalid", "Invalid value", "data")])),
            RequestObject = Encoding.UTF8.GetBytes("{\n  \"kind\": \"ConfigMap\",\n  \"data\": {\"a\": \"<b>\"}\n}"),
            ResponseObject = Encoding.UTF8.GetBytes("""{"kind":"Status"}"""),
            RequestReceivedTimestamp = Time("2026-01-02T03:04:05.000001Z"),
            StageTimestamp = Time("2026-01-02T03:04:05Z"),
        };
        ev.Annotate("z.example.com/last", "1");
        ev.Annotate("a.example.com/first", "2");
        ev.Annotate("a.example.com/first", "ignored: a key keeps its first value");

        // One line, split here for reading.
        var expected = """
            {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"7b5a1f5e-2d0e-4b8e-9d83-8a3d0c1b2a10","stage":"ResponseComplete",
            "requestURI":"/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create\u0026dryRun=All","verb":"create",
            "user":{"username":"admin","groups":["system:masters","system:authenticated"]},"impersonatedUser":{"username":"jane","groups":["system:authenticated"]},
            "sourceIPs":["10.0.0.7","127.0.0.1"],"userAgent":"kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9",
            "objectRef":{"resource":"configmaps","namespace":"default","name":"café","uid":"u-1","apiVersion":"v1","resourceVersion":"7","subresource":"status"},
            "responseStatus":{"metadata":{},"status":"Failure","message":"ConfigMap \"café\" is invalid: data: Invalid value","reason":"Invalid",
            "details":{"name":"café","kind":"ConfigMap","causes":[{"reason":"FieldValueInvalid","message":"Invalid value","field":"data"}]},"code":422},
            "requestObject":{"kind":"ConfigMap","data":{"a":"\u003cb\u003e"}},"responseObject":{"kind":"Status"},
            "requestReceivedTimestamp":"2026-01-02T03:04:05.000001Z","stageTimestamp":"2026-01-02T03:04:05.000000Z",
            "annotations":{"a.example.com/first":"2","z.example.com/last":"1"}}
            """.ReplaceLineEndings(string.Empty) + "\n";
        Assert.Equal(expected, Text(AuditEventWriter.Serialize(ev)));
    }

    [Fact]
    public void Serialize_UnknownUser_EmptyObject_InvalidBodyLeftOut()
    {
        var ev = new AuditEvent
        {
            Level = AuditLevel.Request,
            AuditId = "id",
            Stage = AuditStage.ResponseStarted,
            RequestUri = "/api/v1/pods",
            Verb = "list",
            RequestObject = Encoding.UTF8.GetBytes("{\"truncated\": "),
            ResponseStatus = new AuditResponseStatus(401, "Failure", "Unauthorized", "Unauthorized"),
            RequestReceivedTimestamp = Time("2026-01-02T03:04:05Z"),
            StageTimestamp = Time("2026-01-02T03:04:05Z"),
        };

        var line = Text(AuditEventWriter.Serialize(ev));
        Assert.Contains("\"verb\":\"list\",\"user\":{},\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401},\"requestReceivedTimestamp\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("requestObject", line, StringComparison.Ordinal);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Serialize_OmitManagedFields_FromObjectListAndTable()
    {
        var managed = """{"managedFields":[{"manager":"kubectl"}],"name":"x"}""";
        var ev = new AuditEvent
        {
            Level = AuditLevel.RequestResponse,
            AuditId = "id",
            RequestUri = "/api/v1/pods",
            Verb = "list",
            RequestObject = Encoding.UTF8.GetBytes($$$"""{"metadata":{{{managed}}}}"""),
            ResponseObject = Encoding.UTF8.GetBytes($$$"""{"items":[{"metadata":{{{managed}}}}],"rows":[{"object":{"metadata":{{{managed}}}}}]}"""),
            RequestReceivedTimestamp = Time("2026-01-02T03:04:05Z"),
        };

        var kept = Text(AuditEventWriter.Serialize(ev));
        var omitted = Text(AuditEventWriter.Serialize(ev, omitManagedFields: true));

        Assert.Equal(3, kept.Split("managedFields").Length - 1);
        Assert.DoesNotContain("managedFields", omitted, StringComparison.Ordinal);
        Assert.Contains("""
            "requestObject":{"metadata":{"name":"x"}},"responseObject":{"items":[{"metadata":{"name":"x"}}],"rows":[{"object":{"metadata":{"name":"x"}}}]}
            """, omitted, StringComparison.Ordinal);
    }
}
