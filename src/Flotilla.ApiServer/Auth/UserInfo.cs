namespace Flotilla.ApiServer.Auth;

/// <summary>
/// Who made a request (upstream's user.Info): name and groups, <c>system:authenticated</c> included, and for some
/// authenticators a UID and extra values (a service account token's pod and credential ID).
/// </summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string Uid = "", IReadOnlyDictionary<string, IReadOnlyList<string>>? Extra = null);
