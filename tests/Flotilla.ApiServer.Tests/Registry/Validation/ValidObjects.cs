using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation;

/// <summary>Minimal valid objects of each kind, as a user writes them (before defaulting); tests break one field each.</summary>
internal static class ValidObjects
{
    public static V1ObjectMeta Meta(string name = "web") => new() { Name = name, NamespaceProperty = "default", Uid = "uid-1" };

    public static V1Container Container(string name = "app") => new() { Name = name, Image = "nginx:1.27" };

    public static V1PodSpec PodSpec() => new() { Containers = [Container()] };

    public static V1Pod Pod() => new() { Metadata = Meta(), Spec = PodSpec() };

    public static V1PodTemplateSpec Template(string app = "web") => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = PodSpec(),
    };

    public static V1LabelSelector Selector(string app = "web") => new() { MatchLabels = new Dictionary<string, string> { ["app"] = app } };

    public static V1Deployment Deployment() => new() { Metadata = Meta(), Spec = new V1DeploymentSpec { Selector = Selector(), Template = Template() } };

    public static V1ReplicaSet ReplicaSet() => new() { Metadata = Meta(), Spec = new V1ReplicaSetSpec { Selector = Selector(), Template = Template() } };

    public static V1StatefulSet StatefulSet() => new()
    {
        Metadata = Meta(),
        Spec = new V1StatefulSetSpec { Selector = Selector(), Template = Template(), ServiceName = "web" },
    };

    public static V1DaemonSet DaemonSet() => new() { Metadata = Meta(), Spec = new V1DaemonSetSpec { Selector = Selector(), Template = Template() } };

    public static V1ReplicationController ReplicationController() => new()
    {
        Metadata = Meta(),
        Spec = new V1ReplicationControllerSpec { Selector = new Dictionary<string, string> { ["app"] = "web" }, Template = Template() },
    };

    /// <summary>A job as the strategy leaves it after generating its selector.</summary>
    public static V1Job Job()
    {
        var template = Template();
        template.Spec.RestartPolicy = "Never";
        var job = new V1Job { Metadata = Meta("pi"), Spec = new V1JobSpec { Template = template } };
        Flotilla.ApiServer.Registry.Validation.Batch.JobSelectors.Generate(job);
        return job;
    }

    public static V1CronJob CronJob()
    {
        var template = Template();
        template.Spec.RestartPolicy = "OnFailure";
        return new V1CronJob
        {
            Metadata = Meta("nightly"),
            Spec = new V1CronJobSpec { Schedule = "*/5 * * * *", JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = template } } },
        };
    }

    public static V1Service Service() => new()
    {
        Metadata = Meta(),
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            Ports = [new V1ServicePort { Port = 80, TargetPort = 8080 }],
        },
    };
}
