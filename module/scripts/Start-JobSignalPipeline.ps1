<#
.SYNOPSIS
    Entry point for schedulers (Task Scheduler, cron, systemd): runs Invoke-JobSignalPipeline and exits with its code.
.DESCRIPTION
    pwsh -NoProfile -NonInteractive -File <module>/module/scripts/Start-JobSignalPipeline.ps1 -ConfigPath <file>

    Prints the summary on stdout and exits with the pipeline's exit code: 0 success, 1 a query or stage failed (the
    others ran), 2 the configuration, store or catalog cannot be used (nothing ran), 3 another run holds the lock
    (nothing ran), 130 stopped (Ctrl+C or SIGINT: one line "ERROR PipelineStopped: ..." on stderr instead of the
    summary; SIGTERM: the summary, Status cancelled). Nothing prompts. The output is plain text for logs: each error is
    one line "ERROR <ErrorId>: <message>" on stderr, each warning one line "WARNING: <message>" on stdout.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ConfigPath,
    # Overrides the configuration's DatabasePath.
    [string] $DatabasePath
)

$ErrorActionPreference = 'Continue'
# Logs (cron mail, journald, a redirected file) get plain text: no ANSI colours, no multi-line "Line |" error view.
$PSStyle.OutputRendering = 'PlainText'

$ProgressPreference = 'SilentlyContinue'

# One line per record, so that a log reads (and greps) one problem per line: "is invalid:" followed by a problem a
# line becomes "is invalid: a; b".
function Format-LogLine([string] $Text) {
    $line = ''
    foreach ($part in $Text -split '\r?\n' | ForEach-Object Trim | Where-Object { $_ }) {
        $line += if (-not $line) { $part } elseif ($line.EndsWith(':')) { " $part" } else { "; $part" }
    }
    $line
}
function Write-LogError([System.Management.Automation.ErrorRecord] $Record) {
    $id = ($Record.FullyQualifiedErrorId -split ',')[0]
    $line = "ERROR ${id}: $(Format-LogLine $Record.Exception.Message)"
    if ($Record.ErrorDetails.RecommendedAction) { $line += " (Recommended action: $(Format-LogLine $Record.ErrorDetails.RecommendedAction))" }
    [Console]::Error.WriteLine($line)
}

$summary = $null
# What the commands named by the PipelineStopped line need to act on the pipeline's store (empty for the default one).
$storeArgument = ''
# Set on every way out but one: Ctrl+C or SIGINT, which stops the script where it is and runs only the finally block.
$exitCode = $null
try {
    # -Verbose is for the pipeline's steps, not for the forty lines of loading the module.
    Import-Module (Join-Path $PSScriptRoot '../../JobSignal.psd1') -ErrorAction Stop -Verbose:$false
    $arguments = @{ ConfigPath = $ConfigPath }
    if ($DatabasePath) { $arguments.DatabasePath = $DatabasePath }
    # Errors and warnings are written as they come, between the stages, not by the host's formatter.
    Invoke-JobSignalPipeline @arguments 2>&1 3>&1 6>&1 | ForEach-Object {
        if ($_ -is [System.Management.Automation.ErrorRecord]) { Write-LogError $_ }
        elseif ($_ -is [System.Management.Automation.WarningRecord]) { [Console]::Out.WriteLine("WARNING: $(Format-LogLine $_.Message)") }
        elseif ($_ -is [System.Management.Automation.InformationRecord]) {
            # The pipeline says how to name its store ("-DatabasePath '...'") when it is not the default one.
            if ($_.Tags -contains 'JobSignal.PipelineStore') { $storeArgument = " $($_.MessageData)" }
        }
        else { $summary = $_ }
    }
    # Known before the summary is printed: a Ctrl+C while it is formatted does not turn a finished run into a stopped one.
    $exitCode = if ($summary) { $summary.ExitCode } else { 2 }
    if ($summary) {
        $summary | Format-List Status, ExitCode, StartedAt, Duration, LockHolder, LockLost, @{ Name = "StoreFailure"; Expression = { $_.StoreFailure.Message } } | Out-String -Width 160
        $summary.Queries | Format-Table QueryKey, Status, Since, RunId, OffersReceived, Error -Wrap | Out-String -Width 160
        $summary.Stages | Format-Table Stage, Status, Summary, Error -Wrap | Out-String -Width 160
    }
}
catch {
    # A terminating error: the configuration, store, catalog or credentials cannot be used, so nothing ran.
    Write-LogError $_
    $exitCode = 2
}
finally {
    if ($null -eq $exitCode) {
        # Stopped (Ctrl+C, SIGINT): PowerShell stopped the pipeline, so the cmdlet could not hand its summary over.
        # The cmdlet recorded the ingestion run in progress as cancelled and released the run lock before it ended.
        [Console]::Error.WriteLine('ERROR PipelineStopped: The pipeline was stopped (Ctrl+C or SIGINT) before it ended; ' +
            'what it committed stays, any ingestion run in progress is recorded as cancelled and the run lock is released. ' +
            "(Recommended action: run it again; Get-IngestionRun -Status cancelled$storeArgument and Get-JobSignalQueryState$storeArgument show where it stopped.)")
        # Found by experiment (PowerShell 7.6, -File): "exit" alone in this finally block of a stopped script ends it
        # with exit code 0; telling the host first makes the code stick.
        $Host.SetShouldExit(130)
        exit 130
    }
}
exit $exitCode
