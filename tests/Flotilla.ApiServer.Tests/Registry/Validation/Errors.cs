using Flotilla.Api.Validation;

namespace Flotilla.ApiServer.Tests.Registry.Validation;

/// <summary>Validation results as kubectl users read them: one <c>field: message</c> per line.</summary>
internal static class Errors
{
    public static string Text(IEnumerable<FieldError> errors) => string.Join("\n", errors.Select(e => e.ToString()));

    public static void Equal(IEnumerable<FieldError> errors, params string[] expected) =>
        Assert.Equal(string.Join("\n", expected), Text(errors));
}
