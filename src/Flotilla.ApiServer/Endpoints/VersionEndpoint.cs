using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flotilla.ApiServer.Endpoints;

/// <summary>/version: the Kubernetes API level Flotilla implements (1.32). The installed kubectl picks its own version from it.</summary>
public static class VersionEndpoint
{
    public const string Major = "1";
    public const string Minor = "32";

    public static IEndpointRouteBuilder MapVersionEndpoint(this IEndpointRouteBuilder app)
    {
        var info = Info();
        app.MapGet("/version", () => Results.Json(info, VersionJsonContext.Default.VersionInfo));
        return app;
    }

    public static VersionInfo Info()
    {
        var flotilla = typeof(VersionEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        flotilla = flotilla.Split('+')[0];
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        return new VersionInfo(
            Major,
            Minor,
            $"v{Major}.{Minor}.0-flotilla.{flotilla}",
            GitCommit: string.Empty,
            GitTreeState: "clean",
            BuildDate: File.GetLastWriteTimeUtc(typeof(VersionEndpoint).Assembly.Location).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            GoVersion: $"dotnet{Environment.Version}",
            Compiler: "roslyn",
            Platform: $"linux/{arch}");
    }
}
