using Flotilla.Controllers.NodeIpam;

namespace Flotilla.Controllers.Tests.NodeIpam;

public sealed class CidrSetTests
{
    [Fact]
    public void Allocates_Slash24sInOrder_SkippingUsedOnes_AndWrapsAround()
    {
        var set = new CidrSet("10.42.0.0/16", 24);
        Assert.Equal(256, set.Capacity);
        Assert.True(set.Occupy("10.42.1.0/24"));

        Assert.Equal("10.42.0.0/24", set.AllocateNext());
        Assert.Equal("10.42.2.0/24", set.AllocateNext());
        Assert.True(set.Release("10.42.0.0/24"));
        Assert.Equal("10.42.3.0/24", set.AllocateNext());   // released ones wait until the scan wraps

        for (var i = 4; i < 256; i++)
        {
            Assert.NotNull(set.AllocateNext());
        }

        Assert.Equal("10.42.0.0/24", set.AllocateNext());
        Assert.Null(set.AllocateNext());
        Assert.Equal(256, set.Used);
    }

    [Theory]
    [InlineData("10.43.0.0/24")]   // outside
    [InlineData("10.42.0.0/25")]   // another size
    [InlineData("bogus")]
    public void SubnetsNotOfTheSet_AreRefused(string cidr) => Assert.False(new CidrSet("10.42.0.0/16", 24).Occupy(cidr));

    [Fact]
    public void MaskSizesThatDoNotFit_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new CidrSet("10.42.0.0/16", 8));
        Assert.Throws<ArgumentException>(() => new CidrSet("10.0.0.0/8", 30));
        Assert.Throws<ArgumentException>(() => new CidrSet("fd00::/64", 80));
    }
}
