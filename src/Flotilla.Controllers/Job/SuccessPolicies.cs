using k8s.Models;

namespace Flotilla.Controllers.Job;

/// <summary>
/// Upstream's matchSuccessPolicy (Indexed jobs): the first rule met declares the job succeeded — one naming
/// <c>succeededIndexes</c> when all of them succeeded, or <c>succeededCount</c> of them; one with only
/// <c>succeededCount</c> when that many indexes succeeded. A rule whose indexes name none below completions is skipped.
/// </summary>
public static class SuccessPolicies
{
    public const string Reason = "SuccessPolicy";

    /// <summary>The condition message of the first rule met (<c>Matched rules at index N</c>), or null.</summary>
    public static string? Match(V1SuccessPolicy? policy, int completions, IndexSet succeeded)
    {
        ArgumentNullException.ThrowIfNull(succeeded);
        if (policy?.Rules is not { Count: > 0 } rules || succeeded.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.SucceededIndexes is { } text)
            {
                var required = IndexSet.Parse(text, completions);
                if (required.Count == 0)
                {
                    continue;
                }

                var done = required.All.Count(succeeded.Contains);
                if (done == required.Count || (rule.SucceededCount is { } count && done >= count))
                {
                    return $"Matched rules at index {i}";
                }
            }
            else if (rule.SucceededCount is { } count && succeeded.Count >= count)
            {
                return $"Matched rules at index {i}";
            }
        }

        return null;
    }
}
