namespace Flotilla.ApiServer.Auth;

/// <summary>A decision and why (the reason ends a 403's message: <c>...: no relationship found between ...</c>).</summary>
public readonly record struct AuthorizationResult(AuthorizationDecision Decision, string Reason = "")
{
    public static AuthorizationResult Allowed { get; } = new(AuthorizationDecision.Allow);

    public static AuthorizationResult NoOpinion { get; } = new(AuthorizationDecision.NoOpinion);

    public static AuthorizationResult Undecided(string reason) => new(AuthorizationDecision.NoOpinion, reason);
}
