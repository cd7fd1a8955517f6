using System.Management.Automation;

namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>Files that ship beside the binaries (catalog, templates), found from the module's base folder.</summary>
internal static class ModulePaths
{
    public static string ModuleBase(PSCmdlet cmdlet)
    {
        var moduleBase = cmdlet.MyInvocation.MyCommand.Module?.ModuleBase;
        if (!string.IsNullOrEmpty(moduleBase)) return moduleBase;
        // Imported straight from the dll: the module base is the folder above bin/.
        var binDirectory = Path.GetDirectoryName(typeof(ModulePaths).Assembly.Location)!;
        return Path.GetDirectoryName(binDirectory) ?? binDirectory;
    }

    /// <summary>A file of the module's <c>module/</c> folder.</summary>
    public static string Shipped(PSCmdlet cmdlet, params string[] relative) =>
        Path.Combine([ModuleBase(cmdlet), "module", .. relative]);
}
