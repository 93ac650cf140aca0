namespace Flotilla.Scheduler.Framework;

/// <summary>A plugin's answer: a code, the reasons shown to users (e.g. <c>Insufficient cpu</c>), and which plugin said it.</summary>
public sealed record Status(StatusCode Code, IReadOnlyList<string> Reasons, string? Plugin = null)
{
    public static Status Success { get; } = new(StatusCode.Success, []);

    public static Status Skip { get; } = new(StatusCode.Skip, []);

    public bool IsSuccess => Code == StatusCode.Success;

    /// <summary>The pod does not fit (as opposed to an error).</summary>
    public bool IsRejected => Code is StatusCode.Unschedulable or StatusCode.UnschedulableAndUnresolvable;

    public string Message => string.Join(", ", Reasons);

    public static Status Unschedulable(params string[] reasons) => new(StatusCode.Unschedulable, reasons);

    public static Status Unresolvable(params string[] reasons) => new(StatusCode.UnschedulableAndUnresolvable, reasons);

    public static Status Error(string message) => new(StatusCode.Error, [message]);

    public static Status Wait(string? reason = null) => new(StatusCode.Wait, reason is null ? [] : [reason]);

    public Status WithPlugin(string plugin) => Plugin == plugin ? this : this with { Plugin = plugin };

    public override string ToString() => Reasons.Count == 0 ? Code.ToString() : $"{Code}: {Message}";
}
