<#
.SYNOPSIS
    Entry point for schedulers (Task Scheduler, cron, systemd): runs Invoke-JobSignalPipeline and exits with its code.
.DESCRIPTION
    pwsh -NoProfile -NonInteractive -File <module>/module/scripts/Start-JobSignalPipeline.ps1 -ConfigPath <file>

    Prints the summary on stdout and exits with the pipeline's exit code: 0 success, 1 a query or stage failed (the
    others ran), 2 the configuration, store or catalog cannot be used (nothing ran), 3 another run holds the lock
    (nothing ran), 130 stopped. Nothing prompts; errors go to stderr.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ConfigPath,
    # Overrides the configuration's DatabasePath.
    [string] $DatabasePath
)

$ErrorActionPreference = 'Continue'
try {
    Import-Module (Join-Path $PSScriptRoot '../../JobSignal.psd1') -ErrorAction Stop
    $arguments = @{ ConfigPath = $ConfigPath; ErrorAction = 'Continue' }
    if ($DatabasePath) { $arguments.DatabasePath = $DatabasePath }
    $summary = Invoke-JobSignalPipeline @arguments
}
catch {
    [Console]::Error.WriteLine("JobSignal pipeline could not start: $($_.Exception.Message)")
    exit 2
}
if (-not $summary) { exit 2 }

$summary | Format-List Status, ExitCode, StartedAt, Duration, LockHolder | Out-String -Width 160
$summary.Queries | Format-Table QueryKey, Status, Since, RunId, OffersReceived, Error -Wrap | Out-String -Width 160
$summary.Stages | Format-Table Stage, Status, Summary, Error -Wrap | Out-String -Width 160
exit $summary.ExitCode
