using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.Api.Selectors;

/// <summary>
/// One node selector term, parsed once (upstream component-helpers nodeaffinity.nodeSelectorTerm): its
/// matchExpressions over the node's labels and its matchFields over <c>metadata.name</c>, all ANDed. A term with
/// neither selects nothing; a term that does not parse matches nothing and keeps its <see cref="Errors"/>.
/// </summary>
public sealed class NodeSelectorTerm
{
    public const string NameField = "metadata.name";

    private static readonly string[] LabelOperators = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];
    private static readonly string[] FieldOperators = ["In", "NotIn"];

    private readonly LabelRequirement[] _expressions;
    private readonly (string Key, bool Equal, string Value)[] _fields;

    private NodeSelectorTerm(LabelRequirement[] expressions, (string, bool, string)[] fields, IReadOnlyList<string> errors, bool isEmpty)
    {
        _expressions = expressions;
        _fields = fields;
        Errors = errors;
        IsEmpty = isEmpty;
    }

    /// <summary>Upstream's field errors (e.g. <c>[0].matchExpressions[0].key: Invalid value: ...</c>); empty when it parsed.</summary>
    public IReadOnlyList<string> Errors { get; }

    public bool IsEmpty { get; }

    /// <param name="path">The term's field path for error messages, e.g. <c>nodeSelectorTerms[0]</c> or <c>[0]</c>.</param>
    public static NodeSelectorTerm Parse(V1NodeSelectorTerm term, string path)
    {
        ArgumentNullException.ThrowIfNull(term);
        var errors = new List<string>();
        var expressions = new List<LabelRequirement>();
        var matchExpressions = term.MatchExpressions ?? [];
        for (var i = 0; i < matchExpressions.Count; i++)
        {
            var expression = matchExpressions[i];
            var at = $"{path}.matchExpressions[{i}]";
            LabelOperator? op = expression.OperatorProperty switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                "DoesNotExist" => LabelOperator.DoesNotExist,
                "Gt" => LabelOperator.GreaterThan,
                "Lt" => LabelOperator.LessThan,
                _ => null,
            };
            if (op is null)
            {
                errors.Add(FieldError.NotSupported($"{at}.operator", expression.OperatorProperty ?? string.Empty, LabelOperators).ToString());
                continue;
            }

            try
            {
                expressions.Add(LabelRequirement.Create(expression.Key ?? string.Empty, op.Value, expression.Values));
            }
            catch (LabelSelectorException e)
            {
                // One error reads "key: Invalid value: ..."; several come aggregated as "[..., ...]".
                errors.Add(e.Message.StartsWith('[') ? $"{at}: {e.Message}" : $"{at}.{e.Message}");
            }
        }

        var fields = new List<(string, bool, string)>();
        var matchFields = term.MatchFields ?? [];
        for (var i = 0; i < matchFields.Count; i++)
        {
            var requirement = matchFields[i];
            var at = $"{path}.matchFields[{i}]";
            var equal = requirement.OperatorProperty == "In";
            if (!equal && requirement.OperatorProperty != "NotIn")
            {
                errors.Add(FieldError.NotSupported($"{at}.operator", requirement.OperatorProperty ?? string.Empty, FieldOperators).ToString());
            }
            else if (requirement.Values is not [var value])
            {
                errors.Add(FieldError.Invalid($"{at}.values", null, "must have one element").ToString());
            }
            else
            {
                fields.Add((requirement.Key ?? string.Empty, equal, value));
            }
        }

        return new NodeSelectorTerm([.. expressions], [.. fields], errors, matchExpressions.Count + matchFields.Count == 0);
    }

    public bool Matches(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (IsEmpty || Errors.Count > 0)
        {
            return false;
        }

        if (_expressions.Length > 0)
        {
            var labels = NodeSelectors.Labels(node);
            foreach (var expression in _expressions)
            {
                if (!expression.Matches(labels))
                {
                    return false;
                }
            }
        }

        // As upstream, a node without a name has no fields, and field requirements are then not checked.
        var name = node.Metadata?.Name;
        if (!string.IsNullOrEmpty(name))
        {
            foreach (var (key, equal, value) in _fields)
            {
                var actual = key == NameField ? name : string.Empty;
                if ((actual == value) != equal)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
