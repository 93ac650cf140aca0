using Flotilla.Api.Errors;
using Flotilla.ApiServer.Validation;

namespace Flotilla.ApiServer.Tests.Validation;

public sealed class FieldValidationTests
{
    private static readonly StrictFieldError[] Errors =
    [
        new(StrictFieldErrorKind.Unknown, "spec.foo"),
        new(StrictFieldErrorKind.Duplicate, "spec.paused"),
    ];

    [Theory]
    [InlineData(null, FieldValidationDirective.Warn)]
    [InlineData("", FieldValidationDirective.Warn)]
    [InlineData("Warn", FieldValidationDirective.Warn)]
    [InlineData("Strict", FieldValidationDirective.Strict)]
    [InlineData("Ignore", FieldValidationDirective.Ignore)]
    public void ParseDirective_KnownValue_Parses(string? value, FieldValidationDirective expected)
    {
        Assert.Equal(expected, FieldValidation.ParseDirective(value, "CreateOptions"));
    }

    [Theory]
    [InlineData("strict", "CreateOptions")]
    [InlineData("Error", "PatchOptions")]
    public void ParseDirective_UnknownValue_InvalidOptions(string value, string optionsKind)
    {
        var e = Assert.Throws<StatusException>(() => FieldValidation.ParseDirective(value, optionsKind));

        Assert.Equal(422, e.Code);
        Assert.Equal(
            $"{optionsKind}.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"{value}\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"",
            e.Message);
    }

    [Fact]
    public void StrictDecodingMessage_JoinsFindings()
    {
        Assert.Equal(
            "strict decoding error: unknown field \"spec.foo\", duplicate field \"spec.paused\"",
            FieldValidation.StrictDecodingMessage(Errors));
    }

    [Fact]
    public void Enforce_Strict_BadRequestNamingTheKind()
    {
        var e = Assert.Throws<StatusException>(() => FieldValidation.Enforce(FieldValidationDirective.Strict, Errors, "Deployment", "v1"));

        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.foo\", duplicate field \"spec.paused\"",
            e.Message);
    }

    [Fact]
    public void Enforce_Warn_OneWarningHeaderPerFinding()
    {
        Assert.Equal(
            ["299 - \"unknown field \\\"spec.foo\\\"\"", "299 - \"duplicate field \\\"spec.paused\\\"\""],
            FieldValidation.Enforce(FieldValidationDirective.Warn, Errors, "Deployment", "v1"));
    }

    [Theory]
    [InlineData(FieldValidationDirective.Ignore)]
    [InlineData(FieldValidationDirective.Warn)]
    [InlineData(FieldValidationDirective.Strict)]
    public void Enforce_NoFindings_Nothing(FieldValidationDirective directive)
    {
        Assert.Empty(FieldValidation.Enforce(directive, [], "Pod", "v1"));
    }

    [Fact]
    public void Enforce_Ignore_Nothing()
    {
        Assert.Empty(FieldValidation.Enforce(FieldValidationDirective.Ignore, Errors, "Pod", "v1"));
    }

    [Theory]
    [InlineData("plain", "299 - \"plain\"")]
    [InlineData("a \\ b", "299 - \"a \\\\ b\"")]
    [InlineData("tab\there é", "299 - \"tab?here ?\"")]
    public void WarningHeader_Text_QuotedAsciiOnly(string text, string expected)
    {
        Assert.Equal(expected, FieldValidation.WarningHeader(text));
    }
}
