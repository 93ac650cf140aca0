namespace Flotilla.Scheduler.Framework;

/// <summary>What a plugin keeps in the <see cref="CycleState"/>; cloned when preemption simulates changes.</summary>
public interface IStateData
{
    IStateData Clone();
}
