namespace Flotilla.Scheduler.Framework;

/// <summary>A scheduling plugin: named as upstream names it, so profiles and messages read the same.</summary>
public interface IPlugin
{
    string Name { get; }
}
