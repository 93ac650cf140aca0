using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flotilla.Api.Certificates;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Certificates;

/// <summary>
/// Upstream's certificates validation: the request parses and is signed, usages are known and distinct, the signer
/// name is <c>domain/path</c>, conditions are well formed; on update, Approved/Denied change only through
/// <c>/approval</c>, the certificate only through <c>/status</c> and only once. Problems already stored are
/// tolerated on update (upstream's compatibility options).
/// </summary>
public static class CertificateSigningRequestValidation
{
    /// <summary>The update paths: the object itself, <c>/status</c> (sets the certificate), <c>/approval</c> (approves or denies).</summary>
    public enum UpdatePath
    {
        Main,
        Status,
        Approval,
    }

    private static readonly string[] TrueOnly = ["True"];
    private static readonly string[] AllStatuses = ["False", "True", "Unknown"];
    private static readonly string[] TrueOnlyTypes = [CertificateRequests.Approved, CertificateRequests.Denied, CertificateRequests.Failed];

    public static List<FieldError> Validate(V1CertificateSigningRequest csr) => Validate(csr, null);

    public static List<FieldError> ValidateUpdate(V1CertificateSigningRequest csr, V1CertificateSigningRequest old) => ValidateUpdate(csr, old, UpdatePath.Main);

    public static List<FieldError> ValidateUpdate(V1CertificateSigningRequest csr, V1CertificateSigningRequest old, UpdatePath path)
    {
        ArgumentNullException.ThrowIfNull(csr);
        ArgumentNullException.ThrowIfNull(old);
        var errors = Validate(csr, old);
        var conditionsPath = FieldPath.Root("status").Child("conditions");
        foreach (var type in TrueOnlyTypes)
        {
            if (Conditions(csr, type).Count < Conditions(old, type).Count)
            {
                errors.Add(FieldError.Forbidden(conditionsPath, $"updates may not remove a condition of type \"{type}\""));
            }
        }

        if (path != UpdatePath.Approval)
        {
            foreach (var type in new[] { CertificateRequests.Approved, CertificateRequests.Denied })
            {
                var (now, was) = (Conditions(csr, type), Conditions(old, type));
                if (now.Count > was.Count)
                {
                    errors.Add(FieldError.Forbidden(conditionsPath, $"updates may not add a condition of type \"{type}\""));
                }
                else if (now.Count == was.Count && !ModelJson.SemanticEqual(now, was))
                {
                    errors.Add(FieldError.Forbidden(conditionsPath, $"updates may not modify a condition of type \"{type}\""));
                }
            }
        }

        if (!Bytes(csr.Status?.Certificate).SequenceEqual(Bytes(old.Status?.Certificate)))
        {
            if (path != UpdatePath.Status)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("status").Child("certificate"), "updates may not set certificate content"));
            }
            else if (Bytes(old.Status?.Certificate).Length > 0)
            {
                errors.Add(FieldError.Forbidden(FieldPath.Root("status").Child("certificate"), "updates may not modify existing certificate content"));
            }
        }

        return errors;
    }

    /// <summary>Upstream ValidateSignerName: <c>domain/path</c>, the domain of two or more DNS labels.</summary>
    public static List<FieldError> ValidateSignerName(string? signerName, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(signerName))
        {
            errors.Add(FieldError.Required(path));
            return errors;
        }

        var segments = signerName.Split('/');
        if (segments.Length != 2)
        {
            errors.Add(FieldError.Invalid(path, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
            return errors;
        }

        if (segments[0].Length > 253)
        {
            errors.Add(FieldError.TooLong(path, 253));
        }

        var labels = segments[0].Split('.');
        foreach (var label in labels)
        {
            var problems = NameValidation.IsDns1123Label(label);
            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => FieldError.Invalid(path, segments[0], $"validating label \"{label}\": {p}")));
                break;
            }
        }

        if (labels.Length < 2)
        {
            errors.Add(FieldError.Invalid(path, segments[0], "should be a domain with at least two segments separated by dots"));
        }

        foreach (var component in segments[1].Split('.'))
        {
            var problems = NameValidation.IsDns1123Subdomain(component);
            if (problems.Count > 0)
            {
                errors.AddRange(problems.Select(p => FieldError.Invalid(path, segments[1], $"validating component \"{component}\": {p}")));
                break;
            }
        }

        return errors;
    }

    /// <summary>Upstream validateCertificate: empty, or only CERTIFICATE blocks without headers, each a certificate.</summary>
    public static string? CertificateProblem(byte[]? pem)
    {
        if (pem is null || pem.Length == 0)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(pem);
        var blocks = 0;
        var at = 0;
        while ((at = text.IndexOf("-----BEGIN ", at, StringComparison.Ordinal)) >= 0)
        {
            var typeEnd = text.IndexOf("-----", at + 11, StringComparison.Ordinal);
            if (typeEnd < 0)
            {
                break;
            }

            var type = text[(at + 11)..typeEnd];
            var endMarker = $"-----END {type}-----";
            var end = text.IndexOf(endMarker, typeEnd, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            if (type != "CERTIFICATE")
            {
                return $"only CERTIFICATE PEM blocks are allowed, found \"{type}\"";
            }

            var body = text[(typeEnd + 5)..end];
            if (body.Contains(':', StringComparison.Ordinal))
            {
                return "no PEM block headers are permitted";
            }

            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(body));
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                return $"x509: {e.Message}";
            }

            blocks++;
            at = end + endMarker.Length;
        }

        return blocks == 0 ? "must contain at least one CERTIFICATE PEM block" : null;
    }

    private static List<FieldError> Validate(V1CertificateSigningRequest csr, V1CertificateSigningRequest? old)
    {
        ArgumentNullException.ThrowIfNull(csr);
        var errors = new List<FieldError>();
        var spec = FieldPath.Root("spec");
        var usages = csr.Spec?.Usages ?? [];
        var oldUsages = old?.Spec?.Usages ?? [];
        if (CertificateRequests.Parse(csr.Spec?.Request).Error is { } problem)
        {
            errors.Add(FieldError.Invalid(spec.Child("request"), "<request data>", problem));
        }

        if (usages.Count == 0)
        {
            errors.Add(FieldError.Required(spec.Child("usages")));
        }

        if (!oldUsages.Any(u => !CertificateRequests.Usages.ContainsKey(u)))
        {
            for (var i = 0; i < usages.Count; i++)
            {
                if (!CertificateRequests.Usages.ContainsKey(usages[i]))
                {
                    errors.Add(FieldError.NotSupported(spec.Child("usages").Index(i), usages[i], CertificateRequests.Usages.Keys.Order(StringComparer.Ordinal)));
                }
            }
        }

        if (oldUsages.Distinct().Count() == oldUsages.Count)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < usages.Count; i++)
            {
                if (!seen.Add(usages[i]))
                {
                    errors.Add(FieldError.Duplicate(spec.Child("usages").Index(i), usages[i]));
                }
            }
        }

        var signer = csr.Spec?.SignerName;
        if (signer == CertificateRequests.LegacyUnknownSigner && old?.Spec?.SignerName != CertificateRequests.LegacyUnknownSigner)
        {
            errors.Add(FieldError.Invalid(spec.Child("signerName"), signer, "the legacy signerName is not allowed via this API version"));
        }
        else
        {
            errors.AddRange(ValidateSignerName(signer, spec.Child("signerName")));
        }

        if (csr.Spec?.ExpirationSeconds is < 600)
        {
            errors.Add(FieldError.Invalid(spec.Child("expirationSeconds"), csr.Spec.ExpirationSeconds.Value, "may not specify a duration less than 600 seconds (10 minutes)"));
        }

        errors.AddRange(ValidateConditions(csr, old));
        var arbitrary = old is not null && (Bytes(csr.Status?.Certificate).SequenceEqual(Bytes(old.Status?.Certificate)) || CertificateProblem(old.Status?.Certificate) is not null);
        if (!arbitrary && CertificateProblem(csr.Status?.Certificate) is { } bad)
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("status").Child("certificate"), "<certificate data>", bad));
        }

        return errors;
    }

    private static IEnumerable<FieldError> ValidateConditions(V1CertificateSigningRequest csr, V1CertificateSigningRequest? old)
    {
        var path = FieldPath.Root("status").Child("conditions");
        var conditions = csr.Status?.Conditions ?? [];
        var oldConditions = old?.Status?.Conditions ?? [];
        var allowBoth = oldConditions.Any(c => c.Type == CertificateRequests.Approved) && oldConditions.Any(c => c.Type == CertificateRequests.Denied);
        var allowDuplicates = oldConditions.Select(c => c.Type).Distinct().Count() != oldConditions.Count;
        var allowEmptyType = oldConditions.Any(c => string.IsNullOrEmpty(c.Type));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var (approved, denied) = (false, false);
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            if (!allowEmptyType && string.IsNullOrEmpty(c.Type))
            {
                yield return FieldError.Required(path.Index(i).Child("type"));
            }

            var allowed = TrueOnlyTypes.Contains(c.Type) ? TrueOnly : AllStatuses;
            if (string.IsNullOrEmpty(c.Status))
            {
                yield return FieldError.Required(path.Index(i).Child("status"));
            }
            else if (!allowed.Contains(c.Status))
            {
                yield return FieldError.NotSupported(path.Index(i).Child("status"), c.Status, allowed);
            }

            if (!allowBoth)
            {
                approved |= c.Type == CertificateRequests.Approved;
                denied |= c.Type == CertificateRequests.Denied;
                if ((c.Type == CertificateRequests.Approved && denied) || (c.Type == CertificateRequests.Denied && approved))
                {
                    yield return FieldError.Invalid(path.Index(i).Child("type"), c.Type, "Approved and Denied conditions are mutually exclusive");
                }
            }

            if (!allowDuplicates && !seen.Add(c.Type ?? string.Empty))
            {
                yield return FieldError.Duplicate(path.Index(i).Child("type"), c.Type);
            }
        }
    }

    private static List<V1CertificateSigningRequestCondition> Conditions(V1CertificateSigningRequest csr, string type) =>
        [.. (csr.Status?.Conditions ?? []).Where(c => c.Type == type)];

    private static byte[] Bytes(byte[]? value) => value ?? [];
}
