namespace Flotilla.Scheduler.Tests.Testing;

/// <summary>Label maps written as upstream's test wrappers write them: <c>"zone=zone1"</c>, or <c>"foo"</c> for foo="".</summary>
internal static class LabelSets
{
    public static Dictionary<string, string> Of(params string[] labels) =>
        labels.Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
}
