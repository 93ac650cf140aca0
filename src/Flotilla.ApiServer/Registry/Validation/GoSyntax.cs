using Flotilla.Api.Serialization;
using System.Globalization;
using System.Text;
using k8s.Models;

namespace Flotilla.ApiServer.Registry.Validation;

/// <summary>
/// Bad values printed as upstream's field.Error prints them: Go's <c>%#v</c> for maps, slices and internal structs,
/// the generated protobuf <c>String()</c> for metav1 types such as LabelSelector, <c>String()</c> for IntOrString.
/// </summary>
public static class GoSyntax
{
    /// <summary><c>map[string]string{"a":"b", "c":"d"}</c>; a nil map is <c>map[string]string(nil)</c>.</summary>
    public static GoValue StringMap(IEnumerable<KeyValuePair<string, string>>? map)
    {
        if (map is null)
        {
            return new GoValue("map[string]string(nil)");
        }

        var pairs = map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{GoQuote.Quote(p.Key)}:{GoQuote.Quote(p.Value)}");
        return new GoValue("map[string]string{" + string.Join(", ", pairs) + "}");
    }

    /// <summary><c>[]string{"a", "b"}</c>; a nil slice is <c>[]string(nil)</c>.</summary>
    public static GoValue StringSlice(IEnumerable<string>? values) =>
        new(values is null ? "[]string(nil)" : "[]string{" + string.Join(", ", values.Select(GoQuote.Quote)) + "}");

    /// <summary>Go's <c>%v</c> of a []string: <c>[a b]</c>.</summary>
    public static string PlainList(IEnumerable<string>? values) => "[" + string.Join(" ", values ?? []) + "]";

    /// <summary>metav1.LabelSelector's generated String(): <c>&amp;LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}</c>.</summary>
    public static GoValue LabelSelector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return GoValue.Null;
        }

        var text = new StringBuilder("&LabelSelector{MatchLabels:map[string]string{");
        foreach (var (key, value) in (selector.MatchLabels ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key).Append(": ").Append(value).Append(',');
        }

        text.Append("},MatchExpressions:[]LabelSelectorRequirement{");
        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            text.Append("LabelSelectorRequirement{Key:").Append(requirement.Key)
                .Append(",Operator:").Append(requirement.OperatorProperty)
                .Append(",Values:").Append(PlainList(requirement.Values)).Append(",},");
        }

        return new GoValue(text.Append("},}").ToString());
    }

    /// <summary>IntOrString's String(): the number or the string, unquoted.</summary>
    public static GoValue IntOrString(IntOrString? value) => new(value?.Value ?? "0");

    /// <summary>An internal core.ServicePort as <c>%#v</c> prints the (protocol, port) key upstream reports duplicates with.</summary>
    public static GoValue ServicePortKey(string protocol, int port) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"core.ServicePort{{Name:\"\", Protocol:{GoQuote.Quote(protocol)}, AppProtocol:(*string)(nil), Port:{port}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}"));

    /// <summary>A core.Taint as <c>%#v</c>.</summary>
    public static GoValue Taint(V1Taint taint) => new(
        $"core.Taint{{Key:{GoQuote.Quote(taint.Key ?? string.Empty)}, Value:{GoQuote.Quote(taint.Value ?? string.Empty)}, Effect:{GoQuote.Quote(taint.Effect ?? string.Empty)}, TimeAdded:(*v1.Time)(nil)}}");

    /// <summary>An rbac.RoleRef as <c>%#v</c>.</summary>
    public static GoValue RoleRef(V1RoleRef? roleRef) => new(
        $"rbac.RoleRef{{APIGroup:{GoQuote.Quote(roleRef?.ApiGroup ?? string.Empty)}, Kind:{GoQuote.Quote(roleRef?.Kind ?? string.Empty)}, Name:{GoQuote.Quote(roleRef?.Name ?? string.Empty)}}}");
}
