using System.Diagnostics.CodeAnalysis;
using Flotilla.Api.Validation;
using k8s.Models;

namespace Flotilla.Api.Selectors;

/// <summary>
/// A label selector: the AND of its requirements, kept sorted by key (upstream labels.Selector). Immutable.
/// <see cref="Everything"/> matches every object, <see cref="Nothing"/> none (a nil metav1.LabelSelector).
/// </summary>
public sealed class LabelSelector
{
    private static readonly Dictionary<string, string> EmptyLabels = [];

    private readonly LabelRequirement[] _requirements;
    private readonly bool _matchesNothing;

    private LabelSelector(IEnumerable<LabelRequirement> requirements, bool matchesNothing)
    {
        // Stable; upstream's (unstable) sort leaves the order of requirements on one key unspecified.
        _requirements = [.. requirements.OrderBy(r => r.Key, StringComparer.Ordinal)];
        _matchesNothing = matchesNothing;
    }

    public static LabelSelector Everything { get; } = new([], matchesNothing: false);

    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    public IReadOnlyList<LabelRequirement> Requirements => _requirements;

    /// <summary>True when the selector does not restrict anything (<see cref="Nothing"/> is not empty).</summary>
    public bool IsEmpty => !_matchesNothing && _requirements.Length == 0;

    /// <summary>Parses the <c>labelSelector</c> query syntax; null or blank is <see cref="Everything"/>.</summary>
    /// <exception cref="LabelSelectorException">With upstream's message, e.g. <c>unable to parse requirement: ...</c>.</exception>
    public static LabelSelector Parse(string? selector) =>
        string.IsNullOrEmpty(selector) ? Everything : new LabelSelector(LabelSelectorParser.Parse(selector), matchesNothing: false);

    public static bool TryParse(string? selector, [NotNullWhen(true)] out LabelSelector? result, [NotNullWhen(false)] out string? error)
    {
        try
        {
            result = Parse(selector);
            error = null;
            return true;
        }
        catch (LabelSelectorException e)
        {
            result = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Upstream metav1.LabelSelectorAsSelector: null matches nothing, an empty selector everything; matchLabels
    /// and matchExpressions (In, NotIn, Exists, DoesNotExist) are ANDed.
    /// </summary>
    /// <exception cref="LabelSelectorException">An invalid key, value or operator, with upstream's message.</exception>
    public static LabelSelector FromModel(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        var matchLabels = selector.MatchLabels ?? new Dictionary<string, string>();
        var expressions = selector.MatchExpressions ?? [];
        if (matchLabels.Count + expressions.Count == 0)
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            requirements.Add(LabelRequirement.Create(key, LabelOperator.Equal, [value]));
        }

        foreach (var expression in expressions)
        {
            var op = expression.OperatorProperty switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                "DoesNotExist" => LabelOperator.DoesNotExist,
                var other => throw new LabelSelectorException($"{GoFormat.Quote(other ?? string.Empty)} is not a valid pod selector operator"),
            };
            requirements.Add(LabelRequirement.Create(expression.Key ?? string.Empty, op, expression.Values));
        }

        return new LabelSelector(requirements, matchesNothing: false);
    }

    /// <summary>Upstream SelectorFromSet: key=value for each pair, unvalidated (a service's or RC's selector map).</summary>
    public static LabelSelector FromSet(IEnumerable<KeyValuePair<string, string>>? labels) =>
        labels is null
            ? Everything
            : new LabelSelector(labels.Select(p => LabelRequirement.CreateUnvalidated(p.Key, LabelOperator.Equal, [p.Value])), matchesNothing: false);

    /// <summary>This selector and one more requirement (upstream Selector.Add).</summary>
    public LabelSelector And(LabelRequirement requirement) =>
        _matchesNothing ? this : new LabelSelector([.. _requirements, requirement], matchesNothing: false);

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        if (_matchesNothing)
        {
            return false;
        }

        labels ??= EmptyLabels;
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical form: requirements by key, comma-separated; empty for Everything and Nothing.</summary>
    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));
}
