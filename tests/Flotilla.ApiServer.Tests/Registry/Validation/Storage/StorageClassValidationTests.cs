using Flotilla.ApiServer.Registry.Validation.Storage;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Storage;

public sealed class StorageClassValidationTests
{
    [Fact]
    public void Validate_ValidClass_NoErrors() =>
        Errors.Equal(StorageClassValidation.Validate(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "fast" }, Provisioner = "rancher.io/local-path", VolumeBindingMode = "WaitForFirstConsumer" }));

    [Fact]
    public void Validate_BadClass_UpstreamErrors() =>
        Errors.Equal(
            StorageClassValidation.Validate(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "fast" }, ReclaimPolicy = "Recycle", VolumeBindingMode = "Later" }),
            "provisioner: Required value",
            "reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"",
            "volumeBindingMode: Unsupported value: \"Later\": supported values: \"Immediate\", \"WaitForFirstConsumer\"");

    [Fact]
    public void ValidateUpdate_ParametersAndProvisioner_Fixed()
    {
        var old = new V1StorageClass { Metadata = new V1ObjectMeta { Name = "fast" }, Provisioner = "example.com/a", Parameters = new Dictionary<string, string> { ["type"] = "ssd" } };
        var storageClass = new V1StorageClass { Metadata = new V1ObjectMeta { Name = "fast" }, Provisioner = "example.com/b", Parameters = new Dictionary<string, string> { ["type"] = "hdd" } };

        Errors.Equal(
            StorageClassValidation.ValidateUpdate(storageClass, old),
            "parameters: Forbidden: updates to parameters are forbidden.",
            "provisioner: Forbidden: updates to provisioner are forbidden.");
    }
}
