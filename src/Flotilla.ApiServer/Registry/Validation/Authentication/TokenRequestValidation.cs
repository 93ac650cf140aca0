using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Authentication;

/// <summary>Upstream's authentication validation of a TokenRequest: a lifetime from ten minutes to 2^32 seconds.</summary>
public static class TokenRequestValidation
{
    public const string GroupName = "authentication.k8s.io";

    /// <summary>What spec.expirationSeconds defaults to (upstream's SetDefaults_TokenRequestSpec).</summary>
    public const long DefaultExpirationSeconds = 60 * 60;

    public const long MinExpirationSeconds = 10 * 60;

    public const long MaxExpirationSeconds = 1L << 32;

    public static List<FieldError> Validate(Authenticationv1TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<FieldError>();
        var seconds = request.Spec?.ExpirationSeconds ?? DefaultExpirationSeconds;
        var path = FieldPath.Root("spec").Child("expirationSeconds");
        if (seconds < MinExpirationSeconds)
        {
            errors.Add(FieldError.Invalid(path, seconds, "may not specify a duration less than 10 minutes"));
        }

        if (seconds > MaxExpirationSeconds)
        {
            errors.Add(FieldError.Invalid(path, seconds, "may not specify a duration larger than 2^32 seconds"));
        }

        return errors;
    }
}
