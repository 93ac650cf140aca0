using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.ApiServer.Printing;

/// <summary>How the printers write label maps and label selectors (<c>labels.FormatLabels</c>,
/// <c>metav1.LabelSelectorAsSelector(...).String()</c> and <c>metav1.FormatLabelSelector</c>).</summary>
internal static class LabelSelectors
{
    /// <summary>"k1=v1,k2=v2" in key order, or "&lt;none&gt;".</summary>
    public static string FormatLabels(IDictionary<string, string>? labels)
    {
        if (labels is null || labels.Count == 0)
        {
            return "<none>";
        }

        return string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
    }

    /// <summary>The selector's string, "&lt;none&gt;" when it selects everything or nothing, "&lt;error&gt;" when invalid.</summary>
    public static string Format(V1LabelSelector? selector) =>
        TryToString(selector, out var text) ? (text.Length == 0 ? "<none>" : text) : "<error>";

    /// <summary>
    /// The selector as kube-apiserver's <c>labels.Selector.String()</c>: requirements sorted by key, set values
    /// sorted. Null (selects nothing) and empty (selects everything) both print as "".
    /// </summary>
    public static bool TryToString(V1LabelSelector? selector, out string text)
    {
        text = "";
        if (selector is null)
        {
            return true;
        }

        var requirements = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!(NameValidation.IsQualifiedName(key).Count == 0) || !(NameValidation.IsValidLabelValue(value ?? "").Count == 0))
            {
                return false;
            }

            requirements.Add((key, $"{key}={value}"));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var requirement = Requirement(expression);
            if (requirement is null)
            {
                return false;
            }

            requirements.Add((expression.Key, requirement));
        }

        text = string.Join(',', requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Text));
        return true;
    }

    private static string? Requirement(V1LabelSelectorRequirement expression)
    {
        var key = expression.Key ?? "";
        var values = expression.Values ?? [];
        if (!(NameValidation.IsQualifiedName(key).Count == 0) || values.Any(v => NameValidation.IsValidLabelValue(v ?? "").Count != 0))
        {
            return null;
        }

        var sorted = string.Join(',', values.Order(StringComparer.Ordinal));
        return expression.OperatorProperty switch
        {
            "In" when values.Count > 0 => $"{key} in ({sorted})",
            "NotIn" when values.Count > 0 => $"{key} notin ({sorted})",
            "Exists" when values.Count == 0 => key,
            "DoesNotExist" when values.Count == 0 => $"!{key}",
            _ => null,
        };
    }
}
