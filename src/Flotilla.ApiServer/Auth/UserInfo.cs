namespace Flotilla.ApiServer.Auth;

/// <summary>Who made a request (upstream's user.Info): name and groups, <c>system:authenticated</c> included.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups);
