using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flotilla.ApiServer.Endpoints;

/// <summary>/version: the Kubernetes API level Flotilla implements (1.32). The installed kubectl picks its own version from it.</summary>
public static class VersionEndpoint
{
    public const string Major = Api.BuildVersion.KubernetesMajor;
    public const string Minor = Api.BuildVersion.KubernetesMinor;

    public static IEndpointRouteBuilder MapVersionEndpoint(this IEndpointRouteBuilder app)
    {
        var info = Info();
        app.MapGet("/version", () => Results.Json(info, VersionJsonContext.Default.VersionInfo));
        return app;
    }

    public static VersionInfo Info()
    {
        return new VersionInfo(
            Major,
            Minor,
            Api.BuildVersion.GitVersion,
            GitCommit: string.Empty,
            GitTreeState: "clean",
            BuildDate: File.GetLastWriteTimeUtc(typeof(VersionEndpoint).Assembly.Location).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            GoVersion: $"dotnet{Environment.Version}",
            Compiler: "roslyn",
            Platform: $"linux/{Api.BuildVersion.Architecture}");
    }
}
