namespace Flotilla.ApiServer.Auth.ServiceAccounts;

/// <summary>An object a token names in its <c>kubernetes.io</c> claim: name and UID (either may be empty).</summary>
public readonly record struct ObjectRef(string Name, string Uid);
