using System.Text.Json.Nodes;
using Flotilla.Client.Events;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Client.Tests.Events;

/// <summary>The correlator's filtering, aggregation and deduplication, on a fake clock (client-go's defaults).</summary>
public sealed class EventCorrelatorTests
{
    private const string Combined = "(combined from similar events): ";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private int _sequence;

    private Corev1Event Evt(string message = "assigned shop/web to node-a", string reason = "Scheduled", string name = "web", string component = "default-scheduler")
    {
        var at = _time.GetUtcNow().UtcDateTime;
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{name}.{++_sequence:x}", NamespaceProperty = "shop" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", ApiVersion = "v1", NamespaceProperty = "shop", Name = name, Uid = "uid-" + name },
            Type = EventTypes.Normal,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = at,
            LastTimestamp = at,
            Source = new V1EventSource { Component = component, Host = "node-a" },
            ReportingComponent = component,
            ReportingInstance = "node-a",
        };
    }

    [Fact]
    public void Correlate_NewEvent_IsCreatedAsItIs()
    {
        var correlator = new EventCorrelator(_time);
        var e = Evt();

        var result = correlator.Correlate(e);

        Assert.False(result.Skip);
        Assert.Same(e, result.Event);
        Assert.Null(result.Patch);
    }

    [Fact]
    public void Correlate_IdenticalEvent_PatchesTheFirstWithCountLastTimestampAndMessage()
    {
        var correlator = new EventCorrelator(_time);
        var first = correlator.Correlate(Evt()).Event!;
        _time.Advance(TimeSpan.FromSeconds(30));

        var second = correlator.Correlate(Evt());
        _time.Advance(TimeSpan.FromSeconds(30));
        var third = correlator.Correlate(Evt());

        Assert.Equal((first.Metadata.Name, 2, first.FirstTimestamp), (second.Event!.Metadata.Name, second.Event.Count, second.Event.FirstTimestamp));
        Assert.Equal(new DateTime(2025, 3, 1, 12, 0, 30, DateTimeKind.Utc), second.Event.LastTimestamp);
        Assert.Equal(V1Patch.PatchType.StrategicMergePatch, second.Patch!.Type);
        var patch = JsonNode.Parse((string)second.Patch.Content)!.AsObject();
        Assert.Equal(["count", "lastTimestamp", "message"], patch.Select(p => p.Key).Order());
        Assert.Equal((2, "2025-03-01T12:00:30Z", "assigned shop/web to node-a"), ((int)patch["count"]!, (string)patch["lastTimestamp"]!, (string)patch["message"]!));
        Assert.Equal((first.Metadata.Name, 3), (third.Event!.Metadata.Name, third.Event.Count));
    }

    [Theory]
    [InlineData("message")]
    [InlineData("reason")]
    [InlineData("type")]
    [InlineData("fieldPath")]
    [InlineData("uid")]
    [InlineData("name")]
    [InlineData("kind")]
    [InlineData("host")]
    [InlineData("component")]
    public void Correlate_EventDifferingInAKeyField_IsRecordedSeparately(string field)
    {
        var correlator = new EventCorrelator(_time);
        correlator.Correlate(Evt());
        var other = Evt();
        switch (field)
        {
            case "message": other.Message = "something else"; break;
            case "reason": other.Reason = "Other"; break;
            case "type": other.Type = EventTypes.Warning; break;
            case "fieldPath": other.InvolvedObject.FieldPath = "spec.containers{app}"; break;
            case "uid": other.InvolvedObject.Uid = "uid-2"; break;
            case "name": other.InvolvedObject.Name = "web-2"; break;
            case "kind": other.InvolvedObject.Kind = "ReplicaSet"; break;
            case "host": other.Source.Host = "node-b"; break;
            case "component": other.Source.Component = "kubelet"; break;
        }

        var result = correlator.Correlate(other);

        Assert.Same(other, result.Event);
        Assert.Null(result.Patch);
    }

    [Fact]
    public void Correlate_TenthDistinctMessageOfSimilarEvents_IsCombinedAndFurtherOnesCountOnIt()
    {
        var correlator = new EventCorrelator(_time);
        var names = new HashSet<string>();
        for (var i = 1; i <= 9; i++)
        {
            var e = Evt($"0/{i} nodes are available", reason: "FailedScheduling");
            Assert.Same(e, correlator.Correlate(e).Event);
            names.Add(e.Metadata.Name);
        }

        var tenth = correlator.Correlate(Evt("0/10 nodes are available", reason: "FailedScheduling"));
        var eleventh = correlator.Correlate(Evt("0/11 nodes are available", reason: "FailedScheduling"));

        var combined = tenth.Event!;
        Assert.Equal((Combined + "0/10 nodes are available", 1, "FailedScheduling", "shop"), (combined.Message, combined.Count, combined.Reason, combined.Metadata.NamespaceProperty));
        Assert.StartsWith("web.", combined.Metadata.Name, StringComparison.Ordinal);
        Assert.DoesNotContain(combined.Metadata.Name, names);
        Assert.Equal(("default-scheduler", "node-a", "uid-web"), (combined.Source.Component, combined.Source.Host, combined.InvolvedObject.Uid));
        Assert.Null(tenth.Patch);
        Assert.Equal((combined.Metadata.Name, 2, Combined + "0/11 nodes are available"), (eleventh.Event!.Metadata.Name, eleventh.Event.Count, eleventh.Event.Message));
        Assert.Equal(Combined + "0/11 nodes are available", (string)JsonNode.Parse((string)eleventh.Patch!.Content)!["message"]!);
    }

    [Fact]
    public void Correlate_OneMessageRepeated_CountsButIsNotCombined()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 8; i++)
        {
            correlator.Correlate(Evt($"message {i}"));
        }

        for (var i = 1; i <= 15; i++)
        {
            var result = correlator.Correlate(Evt("the same"));
            Assert.Equal(("the same", i), (result.Event!.Message, result.Event.Count));
        }
    }

    [Theory]
    [InlineData(600, true)]  // exactly the window since the last similar event: still similar
    [InlineData(601, false)]
    public void Correlate_SimilarEventAfterAPause_IsCombinedOnlyWithinTheWindow(int pauseSeconds, bool combined)
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 9; i++)
        {
            correlator.Correlate(Evt($"message {i}"));
        }

        _time.Advance(TimeSpan.FromSeconds(pauseSeconds));
        var tenth = correlator.Correlate(Evt("message 10")).Event!;

        Assert.Equal(combined ? Combined + "message 10" : "message 10", tenth.Message);
    }

    [Fact]
    public void Correlate_WindowRunsFromTheLastSimilarEvent_NotTheFirst()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 9; i++)
        {
            correlator.Correlate(Evt($"message {i}"));
            _time.Advance(TimeSpan.FromMinutes(9));
        }

        Assert.Equal(Combined + "message 10", correlator.Correlate(Evt("message 10")).Event!.Message);
    }

    [Fact]
    public void Correlate_DifferentReasons_AreNotSimilar()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 6; i++)
        {
            Assert.Equal($"a {i}", correlator.Correlate(Evt($"a {i}", reason: "Pulling")).Event!.Message);
            Assert.Equal($"b {i}", correlator.Correlate(Evt($"b {i}", reason: "Pulled")).Event!.Message);
        }
    }

    [Fact]
    public void Correlate_MoreThanTheBurstFromOneSourceAboutOneObject_SkipsTheRestUntilRefilled()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 25; i++)
        {
            Assert.False(correlator.Correlate(Evt()).Skip, $"event {i}");
        }

        Assert.True(correlator.Correlate(Evt()).Skip);
        Assert.False(correlator.Correlate(Evt(name: "other")).Skip);  // another object
        Assert.False(correlator.Correlate(Evt(component: "kubelet")).Skip);  // another source

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.True(correlator.Correlate(Evt()).Skip);
        _time.Advance(TimeSpan.FromSeconds(1));
        var refilled = correlator.Correlate(Evt());
        Assert.True(correlator.Correlate(Evt()).Skip);

        // Skipped events still count: the one let through carries all 28 occurrences.
        Assert.Equal(28, refilled.Event!.Count);
    }

    [Fact]
    public void Correlate_CacheFull_ForgetsTheLeastRecentlyUsedEvent()
    {
        var correlator = new EventCorrelator(_time, new EventCorrelatorOptions { CacheSize = 2 });
        correlator.Correlate(Evt("a"));
        correlator.Correlate(Evt("b"));
        Assert.Equal(2, correlator.Correlate(Evt("a")).Event!.Count);
        correlator.Correlate(Evt("c"));  // b is now the least recently used, and goes

        Assert.Equal(3, correlator.Correlate(Evt("a")).Event!.Count);
        Assert.Equal(1, correlator.Correlate(Evt("b")).Event!.Count);
    }

    [Fact]
    public void UpdateState_TakesTheServersCountAndResourceVersion()
    {
        var correlator = new EventCorrelator(_time);
        var first = correlator.Correlate(Evt()).Event!;
        correlator.UpdateState(first with { Count = 5, Metadata = first.Metadata with { ResourceVersion = "42" } });

        var next = correlator.Correlate(Evt()).Event!;

        Assert.Equal((first.Metadata.Name, 6, "42"), (next.Metadata.Name, next.Count, next.Metadata.ResourceVersion));
    }
}
