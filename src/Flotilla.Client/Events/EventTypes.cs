namespace Flotilla.Client.Events;

/// <summary>The two types a core/v1 Event may have (client-go's v1.EventTypeNormal and v1.EventTypeWarning).</summary>
public static class EventTypes
{
    public const string Normal = "Normal";

    public const string Warning = "Warning";

    public static bool IsValid(string? type) => type is Normal or Warning;
}
