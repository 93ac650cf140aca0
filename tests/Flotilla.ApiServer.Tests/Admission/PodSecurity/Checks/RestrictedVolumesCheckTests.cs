using Flotilla.ApiServer.Admission.PodSecurity.Checks;

namespace Flotilla.ApiServer.Tests.Admission.PodSecurity.Checks;

public sealed class RestrictedVolumesCheckTests
{
    [Fact]
    public void V1Dot0_AllowsTheInlineSourcesOfTheRestrictedProfile() =>
        CheckAssert.Result(
            RestrictedVolumesCheck.V1Dot0,
            """
            {"volumes":[{"name":"a","configMap":{"name":"x"}},{"name":"b","csi":{"driver":"d"}},{"name":"c","downwardAPI":{}},{"name":"d","emptyDir":{}},
              {"name":"e","ephemeral":{}},{"name":"f","persistentVolumeClaim":{"claimName":"c"}},{"name":"g","projected":{}},{"name":"h","secret":{"secretName":"s"}}]}
            """,
            null,
            null);

    [Theory]
    [InlineData("""{"volumes":[{"name":"b","hostPath":{"path":"/"}}]}""", "volume \"b\" uses restricted volume type \"hostPath\"")]
    [InlineData(
        """{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","hostPath":{"path":"/"}},{"name":"c","nfs":{"server":"s","path":"/"}},{"name":"d","hostPath":{"path":"/d"}}]}""",
        "volumes \"b\", \"c\", \"d\" use restricted volume types \"hostPath\", \"nfs\"")]
    [InlineData("""{"volumes":[{"name":"a","gitRepo":{"repository":"r"}},{"name":"b","iscsi":{"targetPortal":"t","iqn":"i","lun":0}}]}""", "volumes \"a\", \"b\" use restricted volume types \"gitRepo\", \"iscsi\"")]
    [InlineData("""{"volumes":[{"name":"img","image":{"reference":"busybox"}}]}""", "volume \"img\" uses restricted volume type \"unknown\"")]
    [InlineData("""{"volumes":[{"name":"none"}]}""", "volume \"none\" uses restricted volume type \"unknown\"")]
    public void V1Dot0_NamesTheRestrictedTypes(string spec, string detail) =>
        CheckAssert.Result(RestrictedVolumesCheck.V1Dot0, spec, "restricted volume types", detail);
}
