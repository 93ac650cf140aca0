namespace Flotilla.Scheduler.Plugins.PodTopologySpread;

/// <summary>
/// The domains with the fewest matching pods for one constraint (upstream criticalPaths): <see cref="First"/> always
/// holds the minimum; <see cref="Second"/> is at least that but, after preemption's updates, not necessarily the
/// second smallest. Two are enough because preemption simulates removing pods from one node at a time, each node on
/// its own copy of the state.
/// </summary>
internal sealed class CriticalPaths
{
    public (string TopologyValue, int MatchNum) First { get; private set; } = (string.Empty, int.MaxValue);

    public (string TopologyValue, int MatchNum) Second { get; private set; } = (string.Empty, int.MaxValue);

    public void Update(string topologyValue, int matchNum)
    {
        if (topologyValue == First.TopologyValue || topologyValue == Second.TopologyValue)
        {
            if (topologyValue == First.TopologyValue)
            {
                First = (topologyValue, matchNum);
            }
            else
            {
                Second = (topologyValue, matchNum);
            }

            if (First.MatchNum > Second.MatchNum)
            {
                (First, Second) = (Second, First);
            }
        }
        else if (matchNum < First.MatchNum)
        {
            Second = First;
            First = (topologyValue, matchNum);
        }
        else if (matchNum < Second.MatchNum)
        {
            Second = (topologyValue, matchNum);
        }
    }

    public CriticalPaths Clone() => new() { First = First, Second = Second };
}
