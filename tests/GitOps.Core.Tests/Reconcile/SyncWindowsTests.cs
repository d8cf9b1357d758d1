using GitOps.Core.Manifests.Config;
using GitOps.Core.Reconcile;
using GitOps.Core.Runs;

namespace GitOps.Core.Tests.Reconcile;

/// <summary>Issue 18 item 1: Argo CD's window rules, in the window's own time zone, across DST changes.</summary>
public sealed class SyncWindowsTests
{
    private static SyncWindow Window(SyncWindowKind kind, string schedule, TimeSpan duration, string zone = "UTC", string? name = null, params RunTrigger[] triggers) => new()
    {
        Kind = kind,
        Schedule = schedule,
        Duration = duration,
        TimeZone = zone,
        Name = name,
        Triggers = triggers.Length == 0 ? [RunTrigger.Push, RunTrigger.Drift, RunTrigger.Manual] : triggers,
    };

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly SyncWindow BerlinOfficeHours = Window(SyncWindowKind.Allow, "0 9 * * 1-5", TimeSpan.FromHours(8), "Europe/Berlin", "office");

    [Fact]
    public void No_Window_Governing_The_Trigger_Means_Open()
    {
        var status = SyncWindows.Evaluate([Window(SyncWindowKind.Deny, "0 0 * * *", TimeSpan.FromDays(1), triggers: RunTrigger.Push)], RunTrigger.Drift, At("2026-12-02T10:00:00Z"));

        Assert.True(status.Open);
        Assert.Contains("no sync window governs drift", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_Window_Opens_At_Nine_Berlin_Time_Which_Is_Eight_Utc_In_Winter()
    {
        var before = SyncWindows.Evaluate([BerlinOfficeHours], RunTrigger.Push, At("2027-03-26T07:30:00Z"));
        var inside = SyncWindows.Evaluate([BerlinOfficeHours], RunTrigger.Push, At("2027-03-26T08:00:00Z"));

        Assert.False(before.Open);
        Assert.Equal(At("2027-03-26T08:00:00Z"), before.OpensAt);
        Assert.Contains("allow window 'office'", before.Detail, StringComparison.Ordinal);
        Assert.True(inside.Open);
        Assert.Contains("until 2027-03-26 16:00 UTC", inside.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void After_Berlin_Springs_Forward_The_Same_Window_Opens_At_Seven_Utc()
    {
        // Clocks go 02:00 CET → 03:00 CEST on Sunday 28 March 2027: Monday's 09:00 is 07:00 UTC.
        var status = SyncWindows.Evaluate([BerlinOfficeHours], RunTrigger.Push, At("2027-03-29T06:30:00Z"));

        Assert.False(status.Open);
        Assert.Equal(At("2027-03-29T07:00:00Z"), status.OpensAt);
        Assert.True(SyncWindows.Evaluate([BerlinOfficeHours], RunTrigger.Push, At("2027-03-29T07:00:00Z")).Open);
    }

    [Fact]
    public void Weekend_Outside_An_Allow_Window_Opens_On_Monday()
    {
        var status = SyncWindows.Evaluate([BerlinOfficeHours], RunTrigger.Manual, At("2027-03-27T12:00:00Z"));

        Assert.False(status.Open);
        Assert.Equal(At("2027-03-29T07:00:00Z"), status.OpensAt);
    }

    [Fact]
    public void A_Start_In_The_Spring_Forward_Gap_Opens_When_The_Gap_Ends()
    {
        // 02:30 does not exist in Berlin on 28 March 2027; the window opens at 03:30 CEST (01:30 UTC).
        var window = Window(SyncWindowKind.Allow, "30 2 * * *", TimeSpan.FromMinutes(30), "Europe/Berlin");

        var status = SyncWindows.Evaluate([window], RunTrigger.Push, At("2027-03-28T00:00:00Z"));

        Assert.Equal(At("2027-03-28T01:30:00Z"), status.OpensAt);
    }

    [Fact]
    public void A_Start_In_The_Repeated_Fall_Back_Hour_Opens_Once_At_Its_First_Occurrence()
    {
        // 02:30 happens twice in Berlin on 31 October 2027 (00:30 UTC in CEST, 01:30 UTC in CET): the window opens once.
        var window = Window(SyncWindowKind.Allow, "30 2 * * *", TimeSpan.FromMinutes(30), "Europe/Berlin");

        Assert.True(SyncWindows.Evaluate([window], RunTrigger.Push, At("2027-10-31T00:45:00Z")).Open);
        var second = SyncWindows.Evaluate([window], RunTrigger.Push, At("2027-10-31T01:45:00Z"));
        Assert.False(second.Open);
        Assert.Equal(At("2027-11-01T01:30:00Z"), second.OpensAt);
    }

    [Fact]
    public void A_Deny_Window_Across_The_Fall_Back_Change_Lasts_Its_Elapsed_Duration()
    {
        // Friday 18:00 CEST (16:00 UTC) plus 60 hours ends Monday 04:00 UTC, which is 05:00 CET after the change.
        var weekend = Window(SyncWindowKind.Deny, "0 18 * * 5", TimeSpan.FromHours(60), "Europe/Berlin", "weekend");

        var status = SyncWindows.Evaluate([weekend], RunTrigger.Push, At("2027-10-30T12:00:00Z"));

        Assert.False(status.Open);
        Assert.Contains("closed by deny window 'weekend'", status.Detail, StringComparison.Ordinal);
        Assert.Equal(At("2027-11-01T04:00:00Z"), status.OpensAt);
        Assert.True(SyncWindows.Evaluate([weekend], RunTrigger.Push, At("2027-11-01T04:00:00Z")).Open);
    }

    [Fact]
    public void New_York_Window_Moves_An_Hour_In_Utc_When_Daylight_Saving_Ends()
    {
        var window = Window(SyncWindowKind.Allow, "0 9 * * *", TimeSpan.FromHours(1), "America/New_York");

        Assert.Equal(At("2027-11-05T13:00:00Z"), SyncWindows.Evaluate([window], RunTrigger.Push, At("2027-11-05T12:00:00Z")).OpensAt);
        Assert.Equal(At("2027-11-08T14:00:00Z"), SyncWindows.Evaluate([window], RunTrigger.Push, At("2027-11-08T13:30:00Z")).OpensAt);
    }

    [Fact]
    public void Deny_Wins_Over_An_Open_Allow_Window_And_The_Opening_Is_When_The_Deny_Ends()
    {
        SyncWindow[] windows = [Window(SyncWindowKind.Allow, "0 0 * * *", TimeSpan.FromDays(1)), Window(SyncWindowKind.Deny, "0 12 * * *", TimeSpan.FromHours(1), name: "lunch")];

        var status = SyncWindows.Evaluate(windows, RunTrigger.Push, At("2026-12-02T12:30:00Z"));

        Assert.False(status.Open);
        Assert.Contains("deny window 'lunch'", status.Detail, StringComparison.Ordinal);
        Assert.Equal(At("2026-12-02T13:00:00Z"), status.OpensAt);
    }

    [Fact]
    public void Opening_Skips_A_Deny_Window_That_Covers_The_Next_Allow_Start()
    {
        // Allowed daily 06:00-07:00, denied all of 3 December: the next opening is 4 December 06:00.
        SyncWindow[] windows = [Window(SyncWindowKind.Allow, "0 6 * * *", TimeSpan.FromHours(1)), Window(SyncWindowKind.Deny, "0 0 3 12 *", TimeSpan.FromDays(1))];

        var status = SyncWindows.Evaluate(windows, RunTrigger.Push, At("2026-12-02T08:00:00Z"));

        Assert.Equal(At("2026-12-04T06:00:00Z"), status.OpensAt);
    }

    [Fact]
    public void Rollback_Is_Governed_As_Manual_And_Retry_As_Push()
    {
        SyncWindow[] windows = [Window(SyncWindowKind.Deny, "0 0 * * *", TimeSpan.FromDays(1), triggers: RunTrigger.Manual)];
        var now = At("2026-12-02T10:00:00Z");

        Assert.False(SyncWindows.Evaluate(windows, RunTrigger.Rollback, now).Open);
        Assert.True(SyncWindows.Evaluate(windows, RunTrigger.Retry, now).Open);
        Assert.True(SyncWindows.Evaluate(windows, RunTrigger.Push, now).Open);
    }

    [Fact]
    public void A_Deny_Window_That_Never_Ends_Reports_No_Opening()
    {
        var always = Window(SyncWindowKind.Deny, "* * * * *", TimeSpan.FromHours(1), name: "always");

        var status = SyncWindows.Evaluate([always], RunTrigger.Push, At("2026-12-02T10:00:00Z"));

        Assert.False(status.Open);
        Assert.Null(status.OpensAt);
        Assert.Contains("no opening found", status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_Groups_Triggers_With_The_Same_Answer()
    {
        var weekend = Window(SyncWindowKind.Deny, "0 18 * * 5", TimeSpan.FromHours(60), "Europe/Berlin", "weekend", RunTrigger.Push, RunTrigger.Manual);

        var text = SyncWindows.Describe([weekend], At("2027-10-30T12:00:00Z"));

        Assert.Equal("push, manual: closed by deny window 'weekend'; opens 2027-11-01 04:00 UTC · drift: open: no sync window governs drift runs", text);
        Assert.Null(SyncWindows.Describe([], At("2027-10-30T12:00:00Z")));
    }
}
