namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>A token that is not a valid JWS for the service account key; the message says why (for the log, never the client).</summary>
public sealed class JwsException(string message) : Exception(message);
