using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// Loads JobSignal.Core and its dependencies (SQLite, Dapper, Google.Apis, Newtonsoft.Json) from the module's
/// <c>bin/deps</c> folder into a private load context, so another module that loaded other versions of them
/// neither breaks JobSignal nor is broken by it. Only this cmdlet assembly lives in the default context.
/// </summary>
internal sealed class ModuleLoadContext : AssemblyLoadContext
{
    private readonly string _depsDirectory;

    private ModuleLoadContext(string depsDirectory) : base("JobSignal", isCollectible: false)
        => _depsDirectory = depsDirectory;

    internal static ModuleLoadContext? Instance { get; private set; }

    internal static void Install(string depsDirectory)
    {
        if (Instance is not null) return;
        Instance = new ModuleLoadContext(depsDirectory);
        // The default context asks here only for what it cannot find itself; JobSignal.Core is never beside
        // the cmdlet assembly, so it always comes from the private context.
        Default.Resolving += (_, name) =>
            name.Name == "JobSignal.Core" ? Instance.LoadFromAssemblyName(name) : null;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var candidate = Path.Combine(_depsDirectory, assemblyName.Name + ".dll");
        // Anything not shipped in deps (the BCL, System.Management.Automation) comes from the default context.
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = NativeLibraryPath(unmanagedDllName);
        return path is not null ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }

    /// <summary>SQLitePCLRaw asks for <c>e_sqlite3</c>; the module ships it per RID without a deps.json.</summary>
    private string? NativeLibraryPath(string name)
    {
        var fileName = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? name + ".dll"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "lib" + name + ".dylib"
            : "lib" + name + ".so";
        var path = Path.Combine(_depsDirectory, "runtimes", RuntimeIdentifier(), "native", fileName);
        return File.Exists(path) ? path : null;
    }

    private static string RuntimeIdentifier()
    {
        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : IsMusl() ? "linux-musl" : "linux";
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "x86",
            Architecture.Arm => "arm",
            _ => "x64",
        };
        return os + "-" + arch;
    }

    private static bool IsMusl() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && File.Exists("/etc/alpine-release");
}

/// <summary>Runs when PowerShell imports the module, before any cmdlet touches JobSignal.Core.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        var binDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        ModuleLoadContext.Install(Path.Combine(binDirectory, "deps"));
    }
}
