using System.Text.Json.Nodes;
using Flotilla.ApiServer.Patch;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Patch;

/// <summary>Strategic merge patches as kubectl sends them, applied to live objects with the <c>k8s.Models</c> tags.</summary>
public sealed class StrategicMergePatchKubectlTests
{
    private const string LiveDeployment = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"default","labels":{"app":"web"},"finalizers":["a","b"],
           "annotations":{"deployment.kubernetes.io/revision":"1","kubectl.kubernetes.io/last-applied-configuration":"old"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
           "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
           "template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[
               {"name":"app","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}],
                "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"imagePullPolicy":"IfNotPresent","resources":{}},
               {"name":"sidecar","image":"busybox:1.36","command":["sleep","infinity"],"imagePullPolicy":"IfNotPresent","resources":{}}],
               "tolerations":[{"key":"x","operator":"Exists"}],
               "restartPolicy":"Always"}}},
         "status":{"replicas":2,"conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True"}]}}
        """;

    [Fact]
    public void Apply_ApplyChangingOneImage_UpdatesThatContainerOnly()
    {
        var patch = """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},
             "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
               "containers":[{"image":"nginx:1.26","name":"app"}]}}}}
            """;

        var result = ApplyToDeployment(patch);

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        JsonAssert.Equal("""
            [{"name":"app","image":"nginx:1.26","ports":[{"containerPort":80,"protocol":"TCP"}],
              "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"imagePullPolicy":"IfNotPresent","resources":{}},
             {"name":"sidecar","image":"busybox:1.36","command":["sleep","infinity"],"imagePullPolicy":"IfNotPresent","resources":{}}]
            """, containers);
        JsonAssert.Equal("""{"deployment.kubernetes.io/revision":"1","kubectl.kubernetes.io/last-applied-configuration":"new"}""", result["metadata"]!["annotations"]);
    }

    [Fact]
    public void Apply_ApplyDroppingAContainer_DeletesItByName()
    {
        var patch = """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"}],
              "containers":[{"$patch":"delete","name":"sidecar"}]}}}}
            """;

        var result = ApplyToDeployment(patch);

        var names = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => (string?)c!["name"]);
        Assert.Equal(["app"], names);
    }

    [Fact]
    public void Apply_ApplyReorderingAndAddingContainers_FollowsSetElementOrder()
    {
        var patch = """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"init"},{"name":"app"}],
              "containers":[{"name":"init","image":"alpine"}]}}}}
            """;

        var result = ApplyToDeployment(patch);

        var names = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => (string?)c!["name"]);
        Assert.Equal(["sidecar", "init", "app"], names);
    }

    [Fact]
    public void Apply_EnvAndPortChanges_MergeByNameAndContainerPort()
    {
        var patch = """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
              "containers":[{"name":"app",
                "$setElementOrder/env":[{"name":"A"},{"name":"C"}],"env":[{"name":"C","value":"3"},{"$patch":"delete","name":"B"}],
                "$setElementOrder/ports":[{"containerPort":80},{"containerPort":443}],"ports":[{"containerPort":443,"protocol":"TCP"}]}]}}}}
            """;

        var result = ApplyToDeployment(patch);

        var app = result["spec"]!["template"]!["spec"]!["containers"]![0]!;
        JsonAssert.Equal("""[{"name":"A","value":"1"},{"name":"C","value":"3"}]""", app["env"]);
        JsonAssert.Equal("""[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}]""", app["ports"]);
    }

    [Fact]
    public void Apply_RolloutRestart_AddsTemplateAnnotation()
    {
        var patch = """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-01-01T00:00:00Z"}}}}}""";

        var result = ApplyToDeployment(patch);

        JsonAssert.Equal(
            """{"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2025-01-01T00:00:00Z"}}""",
            result["spec"]!["template"]!["metadata"]);
        Assert.Equal(2, result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count);
    }

    [Fact]
    public void Apply_LabelPatch_AddsAndRemovesLabels()
    {
        var result = ApplyToDeployment("""{"metadata":{"labels":{"tier":"frontend","app":null}}}""");

        JsonAssert.Equal("""{"tier":"frontend"}""", result["metadata"]!["labels"]);
    }

    [Theory]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"}}}""")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""")]
    public void Apply_StrategySwitchToRecreate_RetainKeysClearsRollingUpdate(string patch)
    {
        var result = ApplyToDeployment(patch);

        JsonAssert.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Apply_StrategyPatchWithoutRetainKeys_KeepsRollingUpdate()
    {
        var result = ApplyToDeployment("""{"spec":{"strategy":{"type":"Recreate"}}}""");

        JsonAssert.Equal("""{"type":"Recreate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Apply_Tolerations_ReplacedWhole()
    {
        var result = ApplyToDeployment("""{"spec":{"template":{"spec":{"tolerations":[{"key":"y","operator":"Exists"}]}}}}""");

        JsonAssert.Equal("""[{"key":"y","operator":"Exists"}]""", result["spec"]!["template"]!["spec"]!["tolerations"]);
    }

    [Fact]
    public void Apply_Finalizers_MergeAsASetWithDeletionList()
    {
        var result = ApplyToDeployment("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"]}}""");

        JsonAssert.Equal("""["c","b"]""", result["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Apply_StatusCondition_MergesByType()
    {
        var result = ApplyToDeployment("""{"status":{"conditions":[{"type":"Progressing","status":"False","reason":"Stuck"}]}}""");

        JsonAssert.Equal(
            """[{"type":"Available","status":"True"},{"type":"Progressing","status":"False","reason":"Stuck"}]""",
            result["status"]!["conditions"]);
    }

    [Fact]
    public void Apply_OwnerReferences_MergeByUid()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","ownerReferences":[{"uid":"u1","kind":"ReplicaSet","name":"rs1"}]}}""")!;
        var patch = JsonNode.Parse("""{"metadata":{"ownerReferences":[{"uid":"u1","controller":true},{"uid":"u2","kind":"ReplicaSet","name":"rs2"}]}}""")!;

        var result = StrategicMergePatch.Apply(pod, patch, typeof(V1Pod));

        JsonAssert.Equal(
            """[{"uid":"u1","kind":"ReplicaSet","name":"rs1","controller":true},{"uid":"u2","kind":"ReplicaSet","name":"rs2"}]""",
            result["metadata"]!["ownerReferences"]);
    }

    [Fact]
    public void Apply_VolumeSourceSwitch_RetainKeysOnVolumeItem()
    {
        // volumes are merge,retainKeys: apply switching a volume from emptyDir to configMap sends $retainKeys in the item.
        var pod = JsonNode.Parse("""{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"other","emptyDir":{}}]}}""")!;
        var patch = JsonNode.Parse("""
            {"spec":{"$setElementOrder/volumes":[{"name":"data"},{"name":"other"}],
              "volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cm"},"emptyDir":null,"name":"data"}]}}
            """)!;

        var result = StrategicMergePatch.Apply(pod, patch, typeof(V1Pod));

        JsonAssert.Equal("""[{"name":"data","configMap":{"name":"cm"}},{"name":"other","emptyDir":{}}]""", result["spec"]!["volumes"]);
    }

    private static JsonNode ApplyToDeployment(string patch) =>
        StrategicMergePatch.Apply(JsonNode.Parse(LiveDeployment)!, JsonNode.Parse(patch)!, typeof(V1Deployment));
}
