using System.Globalization;
using JobSignal.Core.Store;

namespace JobSignal.Core.Tests.Store;

public class RunOwnerTests
{
    private static (string Host, int Pid, long Start) Parts(string owner)
    {
        var parts = owner.Split(':');
        return (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(-400)]
    [InlineData(0)]
    [InlineData(900)]
    public void A_live_process_seen_with_clock_jitter_is_not_dead(int jitterMs)
    {
        // Another process derives our start time from the boot clock and may land a few ms away from ours.
        var (host, pid, start) = Parts(RunOwner.Current);
        Assert.False(RunOwner.IsDead($"{host}:{pid}:{start + jitterMs}"));
    }

    [Fact]
    public void A_reused_pid_with_another_start_is_dead()
    {
        var (host, pid, start) = Parts(RunOwner.Current);
        Assert.True(RunOwner.IsDead($"{host}:{pid}:{start - 60_000}"));
        Assert.True(RunOwner.IsDead($"{host}:{pid}:{start - 60_000}:0123456789abcdef"));
    }

    [Fact]
    public void Each_run_of_this_process_is_its_own_owner_and_alive()
    {
        var first = RunOwner.NewRun();
        var second = RunOwner.NewRun();

        Assert.NotEqual(first, second);
        Assert.StartsWith(RunOwner.Current + ":", first);
        Assert.False(RunOwner.IsDead(first));
        Assert.True(RunOwner.IsOnThisHost(first));
    }
}
