using System.Management.Automation;
using JobSignal.Cmdlets.Infrastructure;
using JobSignal.Core.Common;

namespace JobSignal.Cmdlets.Commands;

/// <summary>Writes the commented starter configuration of the scheduled pipeline.</summary>
[Cmdlet(VerbsCommon.New, "JobSignalConfig", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class NewJobSignalConfigCommand : JobSignalCmdlet
{
    /// <summary>Where to write the file (a .psd1).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var target = ResolveFilePath(Path, "-Path");
        // Refused with or without -Force: File.Copy would only fail with "access denied" on a folder.
        if (Directory.Exists(target) || System.IO.Path.EndsInDirectorySeparator(target))
            ThrowFailure(new JobSignalException("PipelineConfigPathIsFolder", FailureKind.InvalidArgument,
                $"'{target}' is a folder; -Path names the configuration file to write.", target,
                $"Give a file path, e.g. -Path '{System.IO.Path.Combine(target, "jobsignal.config.psd1")}'."));
        if (File.Exists(target) && !Force)
            ThrowFailure(new JobSignalException("PipelineConfigExists", FailureKind.ResourceUnavailable,
                $"'{target}' already exists.", target, "Pass -Force to overwrite it, or choose another -Path."));
        var template = ModulePaths.Shipped(this, "templates", "jobsignal.config.psd1");
        if (!ShouldProcess(target, "Write the starter pipeline configuration")) return;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        File.Copy(template, target, overwrite: true);
        WriteObject(new FileInfo(target));
    }
}
