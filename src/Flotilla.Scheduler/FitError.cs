using Flotilla.Scheduler.Framework;

namespace Flotilla.Scheduler;

/// <summary>
/// Why no node fits (upstream FitError): <c>0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient
/// cpu.</c> — a histogram of each node's rejection reasons, sorted as text, plus what preemption said.
/// </summary>
public sealed record FitError(int NumAllNodes, NodeToStatus Statuses, string? PreFilterMessage, IReadOnlySet<string> UnschedulablePlugins)
{
    public const string NoNodesAvailable = "no nodes available to schedule pods";

    public string? PostFilterMessage { get; init; }

    public string Message
    {
        get
        {
            var message = $"0/{NumAllNodes} nodes are available:";
            if (!string.IsNullOrEmpty(PreFilterMessage))
            {
                message += " " + PreFilterMessage + ".";
            }
            else
            {
                var histogram = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var status in Statuses.Statuses.Values)
                {
                    foreach (var reason in status.Reasons)
                    {
                        histogram[reason] = histogram.GetValueOrDefault(reason) + 1;
                    }
                }

                var absent = NumAllNodes - Statuses.Count;
                if (absent > 0)
                {
                    foreach (var reason in Statuses.AbsentStatus.Reasons)
                    {
                        histogram[reason] = histogram.GetValueOrDefault(reason) + absent;
                    }
                }

                message += " " + string.Join(", ", histogram.Select(h => $"{h.Value} {h.Key}").Order(StringComparer.Ordinal)) + ".";
            }

            return string.IsNullOrEmpty(PostFilterMessage) ? message : message + " " + PostFilterMessage;
        }
    }
}
