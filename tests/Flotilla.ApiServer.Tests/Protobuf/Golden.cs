using System.Runtime.CompilerServices;

namespace Flotilla.ApiServer.Tests.Protobuf;

/// <summary>Golden files in testdata/: read from the test output, rewritten in the source tree when FLOTILLA_UPDATE_GOLDEN=1.</summary>
internal static class Golden
{
    public static bool Update => Environment.GetEnvironmentVariable("FLOTILLA_UPDATE_GOLDEN") == "1";

    public static byte[] Read(string file) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Protobuf", "testdata", file));

    public static void Write(string file, byte[] content, [CallerFilePath] string caller = "") =>
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(caller)!, "testdata", file), content);
}
