using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

/// <summary>Pod templates and selectors shared by the workload printer tests.</summary>
internal static class Templates
{
    public static V1PodTemplateSpec TwoContainers(string prefix = "fake") => new()
    {
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container { Name = $"{prefix}-container1", Image = $"{prefix}-image1" },
                new V1Container { Name = $"{prefix}-container2", Image = $"{prefix}-image2" },
            ],
        },
    };

    public static V1LabelSelector Selector(string key, string value) =>
        new() { MatchLabels = new Dictionary<string, string> { [key] = value } };
}
