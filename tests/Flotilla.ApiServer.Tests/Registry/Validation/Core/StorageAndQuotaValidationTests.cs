using Flotilla.ApiServer.Registry.Validation.Core;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation.Core;

/// <summary>Persistent volumes and claims, resource quotas and limit ranges.</summary>
public sealed class StorageAndQuotaValidationTests
{
    public static TheoryData<Case<V1PersistentVolumeClaim>> ClaimCases => new()
    {
        new("valid", _ => { }),
        new("no access modes", c => c.Spec.AccessModes = [], "spec.accessModes: Required value: at least 1 access mode is required"),
        new("access mode", c => c.Spec.AccessModes = ["ReadWriteSometimes"], "spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""),
        new("ReadWriteOncePod with another", c => c.Spec.AccessModes = ["ReadWriteOncePod", "ReadWriteOnce"], "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"),
        new("no storage request", c => c.Spec.Resources.Requests.Clear(), "spec.resources[storage]: Required value"),
        new("zero storage", c => c.Spec.Resources.Requests["storage"] = new ResourceQuantity("0"), "spec.resources[storage]: Invalid value: \"0\": must be greater than zero"),
        new("volume mode", c => c.Spec.VolumeMode = "Raw", "spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\""),
        new("storage class", c => c.Spec.StorageClassName = "Fast", $"spec.storageClassName: Invalid value: \"Fast\": {Messages.Dns1123Subdomain}"),
        new("data source kind", c => c.Spec.DataSource = new V1TypedLocalObjectReference { Kind = "Secret", Name = "s" }, "spec.dataSource: Invalid value: \"Secret\": must be 'PersistentVolumeClaim' when referencing the default apiGroup"),
    };

    [Theory]
    [MemberData(nameof(ClaimCases))]
    public void Validate_Claim_UpstreamErrors(Case<V1PersistentVolumeClaim> row)
    {
        var claim = Claim();
        row.Break(claim);

        Errors.Equal(PersistentVolumeClaimValidation.Validate(claim), row.Expected);
    }

    [Fact]
    public void ValidateUpdate_ClaimSpec_FixedExceptVolumeName()
    {
        var old = Claim();
        var claim = Claim();
        claim.Spec.VolumeName = "pv-1";

        Errors.Equal(PersistentVolumeClaimValidation.ValidateUpdate(claim, old));

        claim.Spec.AccessModes = ["ReadOnlyMany"];
        Errors.Equal(PersistentVolumeClaimValidation.ValidateUpdate(claim, old), "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n");
    }

    [Fact]
    public void ValidateUpdate_BoundClaimGrows_Allowed()
    {
        var old = Claim();
        var claim = Claim();
        claim.Status = new V1PersistentVolumeClaimStatus { Phase = "Bound" };
        claim.Spec.Resources.Requests["storage"] = new ResourceQuantity("2Gi");

        Errors.Equal(PersistentVolumeClaimValidation.ValidateUpdate(claim, old));
    }

    [Fact]
    public void Validate_VolumeWithoutSourceOrCapacity_UpstreamErrors()
    {
        var volume = new V1PersistentVolume { Metadata = new V1ObjectMeta { Name = "pv" }, Spec = new V1PersistentVolumeSpec { AccessModes = ["ReadWriteOnce"] } };

        Errors.Equal(
            PersistentVolumeValidation.Validate(volume),
            "spec.capacity: Required value",
            "spec.capacity: Unsupported value: core.ResourceList{}: supported values: \"storage\"",
            "spec: Required value: must specify a volume type");
    }

    [Fact]
    public void Validate_HostPathVolume_Valid()
    {
        var volume = new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = "pv" },
            Spec = new V1PersistentVolumeSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                HostPath = new V1HostPathVolumeSource { Path = "/data" },
                PersistentVolumeReclaimPolicy = "Retain",
            },
        };

        Errors.Equal(PersistentVolumeValidation.Validate(volume));
    }

    [Fact]
    public void Validate_Quota_NamesQuantitiesAndScopes()
    {
        var quota = new V1ResourceQuota
        {
            Metadata = ValidObjects.Meta("quota"),
            Spec = new V1ResourceQuotaSpec
            {
                Hard = new Dictionary<string, ResourceQuantity> { ["pods"] = new("1.5"), ["widgets"] = new("1"), ["requests.cpu"] = new("-1") },
                Scopes = ["BestEffort", "NotBestEffort"],
            },
        };

        Errors.Equal(
            ResourceQuotaValidation.Validate(quota),
            "spec.hard[pods]: Invalid value: 1500m: must be an integer",
            "spec.hard[requests.cpu]: Invalid value: \"-1\": must be greater than or equal to 0",
            "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource type or fully qualified",
            "spec.hard[widgets]: Invalid value: \"widgets\": must be a standard resource for quota",
            "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: unsupported scope applied to resource",
            "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"BestEffort\", \"NotBestEffort\"}: conflicting scopes");
    }

    [Fact]
    public void ValidateUpdate_QuotaScopes_Immutable()
    {
        var old = new V1ResourceQuota { Metadata = ValidObjects.Meta("quota"), Spec = new V1ResourceQuotaSpec { Scopes = ["Terminating"] } };
        var quota = new V1ResourceQuota { Metadata = ValidObjects.Meta("quota"), Spec = new V1ResourceQuotaSpec { Scopes = ["NotTerminating"] } };

        Errors.Equal(ResourceQuotaValidation.ValidateUpdate(quota, old), "spec.scopes: Invalid value: []core.ResourceQuotaScope{\"NotTerminating\"}: field is immutable");
    }

    [Fact]
    public void Validate_LimitRange_BoundsInOrder()
    {
        var limitRange = new V1LimitRange
        {
            Metadata = ValidObjects.Meta("limits"),
            Spec = new V1LimitRangeSpec
            {
                Limits =
                [
                    new V1LimitRangeItem
                    {
                        Type = "Container",
                        Min = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m") },
                        Max = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") },
                    },
                    new V1LimitRangeItem { Type = "Pod", DefaultProperty = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1") } },
                    new V1LimitRangeItem { Type = "Node" },
                ],
            },
        };

        Errors.Equal(
            LimitRangeValidation.Validate(limitRange),
            "spec.limits[0].min[cpu]: Invalid value: 500m: min value 500m is greater than max value 250m",
            "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
            "spec.limits[2].type: Invalid value: \"Node\": must be a standard limit type or fully qualified");
    }

    private static V1PersistentVolumeClaim Claim() => new()
    {
        Metadata = ValidObjects.Meta("data"),
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
        },
    };
}
