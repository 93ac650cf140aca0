using Flotilla.ApiServer.Printing.Printers;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Printing.Printers;

public sealed class DeploymentPrinterTests
{
    // Upstream's TestPrintDeployment.
    [Fact]
    public void Cells_Deployment_ReadyOfDesiredAndWide()
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "test1", CreationTimestamp = Clock.JustCreated },
            Spec = new V1DeploymentSpec { Replicas = 5, Template = Templates.TwoContainers(), Selector = Templates.Selector("foo", "bar") },
            Status = new V1DeploymentStatus { Replicas = 10, UpdatedReplicas = 2, AvailableReplicas = 1, UnavailableReplicas = 4 },
        };

        Assert.Equal(
            ["test1", "0/5", 2L, 1L, "0s", "fake-container1,fake-container2", "fake-image1,fake-image2", "foo=bar"],
            new DeploymentPrinter().Cells(deployment, Clock.Now));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("Exists", "app")]
    [InlineData("Bogus", "<invalid>")]
    public void Cells_Selector_BlankWhenMissingInvalidWhenBad(string? op, string expected)
    {
        var deployment = new V1Deployment
        {
            Spec = new V1DeploymentSpec
            {
                Selector = op is null ? null : new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = op }] },
            },
        };

        Assert.Equal(expected, new DeploymentPrinter().Cells(deployment, Clock.Now)[^1]);
    }

    [Fact]
    public void Columns_MatchUpstream()
    {
        var columns = new DeploymentPrinter().Columns;

        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"], columns.Select(c => c.Name));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], columns.Select(c => c.Priority));
    }
}
