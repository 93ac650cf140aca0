using Flotilla.ApiServer.Registry.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Tests.Registry.Validation;

/// <summary>The util/validation string checks (upstream's validation_test.go in apimachinery).</summary>
public sealed class FormatValidationTests
{
    [Theory]
    [InlineData("http", 0)]
    [InlineData("h-t-t-p", 0)]
    [InlineData("a1", 0)]
    [InlineData("123", 1)]
    [InlineData("-http", 1)]
    [InlineData("http--x", 1)]
    [InlineData("HTTP", 2)]
    [InlineData("a234567890123456", 1)]
    public void IsValidPortName_IanaServiceNames(string name, int errors) =>
        Assert.Equal(errors, FormatValidation.IsValidPortName(name).Count);

    [Theory]
    [InlineData("10.0.0.1", true)]
    [InlineData("010.000.000.001", true)]
    [InlineData("::1", true)]
    [InlineData("2001:db8::ffff", true)]
    [InlineData("10.0.0", false)]
    [InlineData("10.0.0.256", false)]
    [InlineData("1", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("", false)]
    public void TryParseIp_ParseIpSloppy(string value, bool valid) => Assert.Equal(valid, FormatValidation.TryParseIp(value, out _));

    [Theory]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("::/0", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("10.0.0.0/", false)]
    public void TryParseCidr_PrefixInRange(string value, bool valid) => Assert.Equal(valid, FormatValidation.TryParseCidr(value, out _, out _));

    [Theory]
    [InlineData("MY_VAR", 0)]
    [InlineData("1st.var-name", 0)]
    [InlineData("with space", 0)]
    [InlineData("A=B", 1)]
    [InlineData("", 1)]
    [InlineData("tab\t", 1)]
    public void IsRelaxedEnvVarName_PrintableAsciiButEquals(string name, int errors) =>
        Assert.Equal(errors, FormatValidation.IsRelaxedEnvVarName(name).Count);

    [Theory]
    [InlineData("25%", 0)]
    [InlineData("100%", 0)]
    [InlineData("25", 1)]
    [InlineData("%", 1)]
    public void IsValidPercent_DigitsAndPercent(string value, int errors) => Assert.Equal(errors, FormatValidation.IsValidPercent(value).Count);

    [Fact]
    public void IsDomainPrefixedPath_BadPath_RegexMessage() =>
        Errors.Equal(
            FormatValidation.IsDomainPrefixedPath(FieldPath.Root("spec").Child("controller"), "example.com/a b"),
            "spec.controller: Invalid value: \"a b\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')");

    [Fact]
    public void FieldPath_ChildIndexKey_UpstreamSyntax()
    {
        Assert.Equal("spec.containers[0].resources.limits[cpu]", FieldPath.Root("spec").Child("containers").Index(0).Child("resources", "limits").Key("cpu").ToString());
        Assert.Equal("[]", FieldPath.Root(string.Empty).ToString());
    }

    [Theory]
    [InlineData("1Gi", "1Gi")]
    [InlineData("1000m", "1")]
    [InlineData("-1Gi", "-1Gi")]
    [InlineData("-500m", "-500m")]
    [InlineData("0.5", "500m")]
    public void Quantities_Canonical_GoString(string value, string expected) => Assert.Equal(expected, Quantities.Canonical(new ResourceQuantity(value)));

    [Fact]
    public void GoSyntax_LabelSelectorWithExpressions_ProtobufString() =>
        Assert.Equal(
            "&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{LabelSelectorRequirement{Key:tier,Operator:In,Values:[web api],},},}",
            GoSyntax.LabelSelector(new V1LabelSelector
            {
                MatchLabels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" },
                MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["web", "api"] }],
            }).Text);

    [Fact]
    public void GoSyntax_StringMap_GoSyntaxSortedOrNil()
    {
        Assert.Equal("map[string]string{\"a\":\"1\", \"b\":\"q\\\"\"}", GoSyntax.StringMap(new Dictionary<string, string> { ["b"] = "q\"", ["a"] = "1" }).Text);
        Assert.Equal("map[string]string(nil)", GoSyntax.StringMap(null).Text);
    }
}
