using System.Diagnostics;
using System.Globalization;

namespace JobSignal.Core.Store;

/// <summary>
/// Who holds a run or the run lock: "host:pid:process start (Unix ms)", and for the run lock ":" and a token of the
/// run (<see cref="NewRun"/>). The start time tells a live process from a new one that reused a dead one's pid.
/// </summary>
public static class RunOwner
{
    public static string Current { get; } = CurrentOwner();

    /// <summary>
    /// An owner for one run of this process: two runs in one process (thread jobs, hosted runspaces) are two owners,
    /// so one cannot take the other's lock for its own; <see cref="IsDead"/> judges the process part.
    /// </summary>
    public static string NewRun() => $"{Current}:{Guid.NewGuid():N}";

    private static readonly TimeSpan StartTimeTolerance = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True only when the owner is certainly gone: a process of this host that no longer runs, or whose pid now
    /// belongs to a process started at another time. Owners on other hosts, and processes this user may not
    /// inspect, are never declared dead.
    /// </summary>
    public static bool IsDead(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length is not (3 or 4) || string.Join(':', parts[..3]) == Current || !IsOnThisHost(owner)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return false;
        Process process;
        try { process = Process.GetProcessById(pid); }
        catch (ArgumentException) { return true; } // no process with that id
        using (process)
        {
            try
            {
                // Another process computes a start time from the boot clock with a few ms of jitter: a pid reused by a
                // new process starts seconds (at least) later, so only a real difference means "not the owner".
                return !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var recorded)
                    || Math.Abs(long.Parse(StartMilliseconds(process), CultureInfo.InvariantCulture) - recorded) > StartTimeTolerance.TotalMilliseconds;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                return false; // it runs, but we may not look at it: assume it is the owner
            }
        }
    }

    /// <summary>True when the owner is a process of this host.</summary>
    public static bool IsOnThisHost(string owner) =>
        owner.Split(':')[0].Equals(Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    private static string CurrentOwner()
    {
        using var self = Process.GetCurrentProcess();
        return $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}:{StartMilliseconds(self)}";
    }

    private static string StartMilliseconds(Process process) =>
        new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
