namespace Flotilla.ApiServer.Auth;

/// <summary>An authorizer's answer (upstream's authorizer.Decision): the chain asks the next one on NoOpinion.</summary>
public enum AuthorizationDecision
{
    NoOpinion,
    Allow,
    Deny,
}
