using Flotilla.Controllers.Framework;
using Microsoft.Extensions.Time.Testing;

namespace Flotilla.Controllers.Tests.Framework;

public sealed class ExpectationsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void NothingExpected_IsSatisfied_AndCreationsAreSatisfiedWhenAllAreObserved()
    {
        var expectations = new Expectations(_time);
        Assert.True(expectations.Satisfied("ns/rs"));

        expectations.ExpectCreations("ns/rs", 2);
        expectations.CreationObserved("ns/rs");
        Assert.False(expectations.Satisfied("ns/rs"));
        expectations.CreationObserved("ns/rs");
        Assert.True(expectations.Satisfied("ns/rs"));
    }

    [Fact]
    public void Deletions_CountEachPodOnce_AndIgnorePodsNotExpected()
    {
        var expectations = new Expectations(_time);
        expectations.ExpectDeletions("ns/rs", ["ns/a", "ns/b"]);

        expectations.DeletionObserved("ns/rs", "ns/a");
        expectations.DeletionObserved("ns/rs", "ns/a");  // the update that marks it deleting, then the delete
        expectations.DeletionObserved("ns/rs", "ns/other");
        Assert.False(expectations.Satisfied("ns/rs"));

        expectations.DeletionObserved("ns/rs", "ns/b");
        Assert.True(expectations.Satisfied("ns/rs"));
    }

    [Fact]
    public void ExpectationsThatNeverComeTrue_ExpireAfterFiveMinutes()
    {
        var expectations = new Expectations(_time);
        expectations.ExpectCreations("ns/rs", 1);

        _time.Advance(Expectations.Timeout);
        Assert.False(expectations.Satisfied("ns/rs"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(expectations.Satisfied("ns/rs"));
    }
}
