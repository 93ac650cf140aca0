using Flotilla.Api.Validation;

namespace Flotilla.Api.Tests.Validation;

public sealed class FieldErrorTests
{
    // Go's %q: quotes and backslashes escaped, control characters as escapes, printable Unicode kept.
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\dir", "\"C:\\\\dir\"")]
    [InlineData("a\nb\tc", "\"a\\nb\\tc\"")]
    [InlineData("\u0001\u007f", "\"\\x01\\x7f\"")]
    [InlineData("Māori 日本", "\"Māori 日本\"")]
    [InlineData("no\u00a0break", "\"no\\u00a0break\"")]
    [InlineData("\U0001F600", "\"\U0001F600\"")]
    public void ToString_StringBadValue_QuotedAsGo(string value, string quoted) =>
        Assert.Equal($"f: Invalid value: {quoted}: d", FieldError.Invalid("f", value, "d").ToString());
}
