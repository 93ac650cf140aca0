namespace Flotilla.ApiServer.Endpoints;

/// <summary>The <c>version.Info</c> object of k8s.io/apimachinery, field for field.</summary>
public sealed record VersionInfo(
    string Major,
    string Minor,
    string GitVersion,
    string GitCommit,
    string GitTreeState,
    string BuildDate,
    string GoVersion,
    string Compiler,
    string Platform);
