using Flotilla.Api.Validation;

namespace Flotilla.Api.Tests.Validation;

public sealed class NameValidationTests
{
    // Upstream TestIsDNS1123Label's good and bad values.
    [Theory]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("abc")]
    [InlineData("a1")]
    [InlineData("a-1")]
    [InlineData("a--1--2--b")]
    [InlineData("0")]
    [InlineData("01")]
    [InlineData("012")]
    [InlineData("1a")]
    [InlineData("1-a")]
    [InlineData("1--a--b--2")]
    public void IsDns1123Label_UpstreamGoodValues_NoErrors(string value) =>
        Assert.Empty(NameValidation.IsDns1123Label(value));

    [Theory]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("ABC")]
    [InlineData("aBc")]
    [InlineData("A1")]
    [InlineData("A-1")]
    [InlineData("1-A")]
    [InlineData("-")]
    [InlineData("a-")]
    [InlineData("-a")]
    [InlineData("1-")]
    [InlineData("-1")]
    [InlineData("_")]
    [InlineData("a_")]
    [InlineData("_a")]
    [InlineData("a_b")]
    [InlineData("1_2")]
    [InlineData(".")]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData(" ")]
    [InlineData("a ")]
    [InlineData(" a")]
    [InlineData("a b")]
    [InlineData("a\n")]
    public void IsDns1123Label_UpstreamBadValues_RegexMessage(string value) =>
        Assert.Equal([Messages.Dns1123Label], NameValidation.IsDns1123Label(value));

    [Theory]
    [InlineData("a.b")]
    [InlineData("1.2")]
    [InlineData("my.service.local")]
    public void IsDns1123Label_ValidSubdomainWithDots_MustNotContainDots(string value) =>
        Assert.Equal(["must not contain dots"], NameValidation.IsDns1123Label(value));

    [Fact]
    public void IsDns1123Label_LengthLimit_63Bytes()
    {
        Assert.Empty(NameValidation.IsDns1123Label(new string('a', 63)));
        Assert.Equal([Messages.MaxLength63], NameValidation.IsDns1123Label(new string('a', 64)));
        Assert.Equal([Messages.MaxLength63, Messages.Dns1123Label], NameValidation.IsDns1123Label(new string('A', 64)));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("a--1--2--b")]
    [InlineData("a.a")]
    [InlineData("a--1--2--b.a")]
    [InlineData("a.1")]
    [InlineData("0.a")]
    [InlineData("1--a--b--2.1")]
    [InlineData("a.b.c.d.e")]
    [InlineData("aa.bb.cc.dd.ee")]
    [InlineData("1.2.3.4.5")]
    [InlineData("11.22.33.44.55")]
    public void IsDns1123Subdomain_UpstreamGoodValues_NoErrors(string value) =>
        Assert.Empty(NameValidation.IsDns1123Subdomain(value));

    [Theory]
    [InlineData("")]
    [InlineData("A")]
    [InlineData("aBc")]
    [InlineData("-")]
    [InlineData("a-")]
    [InlineData("-a")]
    [InlineData("_a")]
    [InlineData(".")]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData("a..b")]
    [InlineData("1..2")]
    [InlineData("a b")]
    [InlineData("A.a")]
    [InlineData("ab.A")]
    [InlineData("a.B.c.d.e")]
    [InlineData("a@b")]
    [InlineData("a,b")]
    [InlineData("a_b")]
    [InlineData("a;b")]
    [InlineData("a:b")]
    [InlineData("a%b")]
    [InlineData("a?b")]
    [InlineData("a$b")]
    public void IsDns1123Subdomain_UpstreamBadValues_RegexMessage(string value) =>
        Assert.Equal([Messages.Dns1123Subdomain], NameValidation.IsDns1123Subdomain(value));

    [Fact]
    public void IsDns1123Subdomain_LengthLimit_253Bytes()
    {
        Assert.Empty(NameValidation.IsDns1123Subdomain(new string('a', 253)));
        Assert.Equal([Messages.MaxLength253], NameValidation.IsDns1123Subdomain(new string('a', 254)));
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("a--1--2--b", true)]
    [InlineData("0", false)]
    [InlineData("1a", false)]
    [InlineData("1--a--b--2", false)]
    [InlineData("", false)]
    [InlineData("aBc", false)]
    [InlineData("a-", false)]
    [InlineData("a.b", false)]
    [InlineData("a_b", false)]
    public void IsDns1035Label_UpstreamValues_StartsWithLetter(string value, bool valid) =>
        Assert.Equal(valid ? [] : [Messages.Dns1035Label], NameValidation.IsDns1035Label(value));

    // Upstream TestIsQualifiedName's success cases.
    [Theory]
    [InlineData("simple")]
    [InlineData("now-with-dashes")]
    [InlineData("1-starts-with-num")]
    [InlineData("1234")]
    [InlineData("simple/simple")]
    [InlineData("now-with-dashes/simple")]
    [InlineData("now-with-dashes/now-with-dashes")]
    [InlineData("now.with.dots/simple")]
    [InlineData("now-with.dashes-and.dots/simple")]
    [InlineData("1-num.2-num/3-num")]
    [InlineData("1234/5678")]
    [InlineData("1.2.3.4/5678")]
    [InlineData("Uppercase_Is_OK_123")]
    [InlineData("example.com/Uppercase_Is_OK_123")]
    [InlineData("requests.storage-foo")]
    public void IsQualifiedName_UpstreamGoodValues_NoErrors(string value) =>
        Assert.Empty(NameValidation.IsQualifiedName(value));

    [Fact]
    public void IsQualifiedName_AtTheLimits_NoErrors()
    {
        Assert.Empty(NameValidation.IsQualifiedName(new string('a', 63)));
        Assert.Empty(NameValidation.IsQualifiedName(new string('a', 253) + "/" + new string('b', 63)));
    }

    public static TheoryData<string, string[]> BadQualifiedNames => new()
    {
        { "nospecialchars%^=@", [Messages.NamePart] },
        { "cantendwithadash-", [Messages.NamePart] },
        { "-cantstartwithadash-", [Messages.NamePart] },
        { "only/one/slash", [Messages.QualifiedName] },
        { "Example.com/abc", ["prefix part " + Messages.Dns1123Subdomain] },
        { "example_com/abc", ["prefix part " + Messages.Dns1123Subdomain] },
        { "example.com/", ["name part must be non-empty", Messages.NamePart] },
        { "/simple", ["prefix part must be non-empty"] },
        { new string('a', 64), ["name part must be no more than 63 characters"] },
        { new string('a', 254) + "/abc", ["prefix part " + Messages.MaxLength253] },
    };

    [Theory]
    [MemberData(nameof(BadQualifiedNames))]
    public void IsQualifiedName_UpstreamBadValues_UpstreamMessages(string value, string[] expected) =>
        Assert.Equal(expected, NameValidation.IsQualifiedName(value));

    [Theory]
    [InlineData("simple")]
    [InlineData("now-with-dashes")]
    [InlineData("1-starts-with-num")]
    [InlineData("end-with-num-1")]
    [InlineData("1234")]
    [InlineData("")]
    public void IsValidLabelValue_UpstreamGoodValues_NoErrors(string value) =>
        Assert.Empty(NameValidation.IsValidLabelValue(value));

    [Theory]
    [InlineData("nospecialchars%^=@")]
    [InlineData("Tama-nui-te-rā.is.Māori.sun")]
    [InlineData("\\backslashes\\are\\bad")]
    [InlineData("-starts-with-dash")]
    [InlineData("ends-with-dash-")]
    [InlineData(".starts.with.dot")]
    [InlineData("ends.with.dot.")]
    public void IsValidLabelValue_UpstreamBadValues_RegexMessage(string value) =>
        Assert.Equal([Messages.LabelValue], NameValidation.IsValidLabelValue(value));

    [Fact]
    public void IsValidLabelValue_LengthCountsUtf8Bytes_AsGo()
    {
        Assert.Empty(NameValidation.IsValidLabelValue(new string('a', 63)));
        Assert.Equal([Messages.MaxLength63], NameValidation.IsValidLabelValue(new string('a', 64)));

        // 32 characters, 64 bytes.
        Assert.Equal([Messages.MaxLength63, Messages.LabelValue], NameValidation.IsValidLabelValue(new string('é', 32)));
    }

    [Theory]
    [InlineData("web-", true, true)]
    [InlineData("web-", false, false)]
    [InlineData("a-", true, true)]
    [InlineData("-", true, false)]
    [InlineData("Web-", true, false)]
    [InlineData("web", true, true)]
    public void NameIsDnsSubdomain_Prefix_AllowsTrailingDash(string name, bool prefix, bool valid) =>
        Assert.Equal(valid, NameValidation.NameIsDnsSubdomain(name, prefix).Count == 0);

    [Fact]
    public void NameIsDnsSubdomain_PrefixOf254_MaskedToAllowedLength()
    {
        // Upstream masks "...x-" to "...a" by dropping two characters, so a 254-byte prefix passes.
        Assert.Empty(NameValidation.NameIsDnsSubdomain(new string('a', 253) + "-", prefix: true));
        Assert.Equal([Messages.MaxLength253], NameValidation.NameIsDnsSubdomain(new string('a', 254) + "-", prefix: true));
    }

    [Theory]
    [InlineData("ns-", true, true)]
    [InlineData("ns.a-", true, false)]
    [InlineData("svc-", true, true)]
    public void NameIsDnsLabel_Prefix_AllowsTrailingDash(string name, bool prefix, bool valid) =>
        Assert.Equal(valid, NameValidation.NameIsDnsLabel(name, prefix).Count == 0);

    [Theory]
    [InlineData("svc-", true, true)]
    [InlineData("1svc-", true, false)]
    public void NameIsDns1035Label_Prefix_AllowsTrailingDash(string name, bool prefix, bool valid) =>
        Assert.Equal(valid, NameValidation.NameIsDns1035Label(name, prefix).Count == 0);

    public static TheoryData<string, bool, string[]> PathSegmentNames => new()
    {
        { "system:controller:foo", false, [] },
        { ".", false, ["may not be '.'"] },
        { "..", false, ["may not be '..'"] },
        { ".", true, [] },
        { "a/b%c", false, ["may not contain '/'", "may not contain '%'"] },
        { "a%", true, ["may not contain '%'"] },
    };

    [Theory]
    [MemberData(nameof(PathSegmentNames))]
    public void NameIsPathSegment_Names_UpstreamMessages(string name, bool prefix, string[] expected) =>
        Assert.Equal(expected, NameValidation.NameIsPathSegment(name, prefix));
}
