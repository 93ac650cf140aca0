using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation.Core;

/// <summary>Upstream ValidateTolerations and validateNodeTaints.</summary>
public static class TolerationValidation
{
    public static readonly string[] Effects = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

    public static IEnumerable<FieldError> Tolerations(IList<V1Toleration>? tolerations, FieldPath path)
    {
        for (var i = 0; i < (tolerations?.Count ?? 0); i++)
        {
            var toleration = tolerations![i];
            var itemPath = path.Index(i);
            var key = toleration.Key ?? string.Empty;
            var op = toleration.OperatorProperty ?? string.Empty;
            var value = toleration.Value ?? string.Empty;
            if (key.Length > 0)
            {
                foreach (var e in ObjectMetaValidation.ValidateLabelName(key, itemPath.Child("key")))
                {
                    yield return e;
                }
            }

            if (key.Length == 0 && op != "Exists")
            {
                yield return FieldError.Invalid(itemPath.Child("operator"), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
            }

            if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
            {
                yield return FieldError.Invalid(itemPath.Child("effect"), toleration.Effect ?? string.Empty, "effect must be 'NoExecute' when `tolerationSeconds` is set");
            }

            switch (op)
            {
                case "Equal" or "":
                    var messages = NameValidation.IsValidLabelValue(value);
                    if (messages.Count > 0)
                    {
                        yield return FieldError.Invalid(itemPath.Child("operator"), value, string.Join(";", messages));
                    }

                    break;
                case "Exists":
                    if (value.Length > 0)
                    {
                        yield return FieldError.Invalid(itemPath.Child("operator"), value, "value must be empty when `operator` is 'Exists'");
                    }

                    break;
                default:
                    yield return FieldError.NotSupported(itemPath.Child("operator"), op, ["Equal", "Exists"]);
                    break;
            }

            if (!string.IsNullOrEmpty(toleration.Effect) && !Effects.Contains(toleration.Effect))
            {
                yield return FieldError.NotSupported(itemPath.Child("effect"), toleration.Effect, Effects);
            }
        }
    }

    public static IEnumerable<FieldError> Taints(IList<V1Taint>? taints, FieldPath path)
    {
        var unique = new HashSet<(string Effect, string Key)>();
        for (var i = 0; i < (taints?.Count ?? 0); i++)
        {
            var taint = taints![i];
            var itemPath = path.Index(i);
            foreach (var e in ObjectMetaValidation.ValidateLabelName(taint.Key ?? string.Empty, itemPath.Child("key")))
            {
                yield return e;
            }

            var messages = NameValidation.IsValidLabelValue(taint.Value ?? string.Empty);
            if (messages.Count > 0)
            {
                yield return FieldError.Invalid(itemPath.Child("value"), taint.Value ?? string.Empty, string.Join(";", messages));
            }

            if (string.IsNullOrEmpty(taint.Effect))
            {
                yield return FieldError.Required(itemPath.Child("effect"));
            }
            else if (!Effects.Contains(taint.Effect))
            {
                yield return FieldError.NotSupported(itemPath.Child("effect"), taint.Effect, Effects);
            }

            if (!unique.Add((taint.Effect ?? string.Empty, taint.Key ?? string.Empty)))
            {
                yield return new FieldError(FieldErrorType.Duplicate, itemPath, GoSyntax.Taint(taint), "taints must be unique by key and effect pair");
            }
        }
    }
}
