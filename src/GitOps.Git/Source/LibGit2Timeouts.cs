using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace GitOps.Git.Source;

/// <summary>
/// libgit2's socket timeouts (<c>GIT_OPT_SET_SERVER_CONNECT_TIMEOUT</c>, <c>GIT_OPT_SET_SERVER_TIMEOUT</c>), which
/// LibGit2Sharp does not expose. Without them a server that accepts the connection and then says nothing blocks a
/// fetch forever: the progress callbacks that enforce the deadline only run when data arrives. The settings are
/// process-wide, so the smallest timeout asked for wins.
/// </summary>
internal static class LibGit2Timeouts
{
    // git_libgit2_opt_t in libgit2 1.9 (include/git2/common.h).
    private const int SetServerConnectTimeout = 39;
    private const int SetServerTimeout = 41;
    private const int GetServerTimeout = 42;

    private static readonly Lock s_gate = new();
    private static int s_appliedMilliseconds = int.MaxValue;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetOption(int option, int value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetOption(int option, out int value);

    /// <summary>Makes libgit2's connect and read timeouts at most <paramref name="timeout"/>; true when libgit2 confirms it.</summary>
    public static bool EnsureAtMost(TimeSpan timeout)
    {
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        lock (s_gate)
        {
            if (milliseconds >= s_appliedMilliseconds)
            {
                return true;
            }

            if (!TryGetExport(out var export))
            {
                return false;
            }

            // git_libgit2_opts is variadic; passing ints through a fixed signature is how LibGit2Sharp calls it too.
            var set = Marshal.GetDelegateForFunctionPointer<SetOption>(export);
            var get = Marshal.GetDelegateForFunctionPointer<GetOption>(export);
            if (set(SetServerConnectTimeout, milliseconds) != 0 || set(SetServerTimeout, milliseconds) != 0
                || get(GetServerTimeout, out var applied) != 0 || applied != milliseconds)
            {
                return false;
            }

            s_appliedMilliseconds = milliseconds;
            return true;
        }
    }

    private static bool TryGetExport(out IntPtr export)
    {
        export = IntPtr.Zero;

        // Touching GlobalSettings makes LibGit2Sharp load its native library with its own resolver first.
        _ = GlobalSettings.Version;
        var assembly = typeof(Repository).Assembly;
        var name = assembly.GetType("LibGit2Sharp.Core.NativeDllName")?.GetField("Name")?.GetRawConstantValue() as string ?? "git2-5853918";
        return NativeLibrary.TryLoad(name, assembly, null, out var library)
            && NativeLibrary.TryGetExport(library, "git_libgit2_opts", out export);
    }
}
