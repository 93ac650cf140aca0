namespace Flotilla.Client.Informers;

internal enum NotificationKind
{
    Add,
    Update,
    Delete,
    Synced,
}

/// <summary>One change queued for one handler.</summary>
internal readonly record struct Notification<T>(NotificationKind Kind, T? Old, T? New, bool Initial = false);
