#Requires -Version 7.4
<#
.SYNOPSIS
    Regenerates module/samples/infojobs-sample.jsonl, the offline InfoJobs sample (synthetic detail payloads).
.DESCRIPTION
    The content comes from JobSignal.TestFakes.InfojobsSampleCorpus (deterministic: fixed seed and anchor date), so the
    file only changes when the generator does. An xUnit test fails when the committed file and the generator differ.
    Run from anywhere after a build:  dotnet pwsh tests/JobSignal.TestFakes/Update-InfojobsSample.ps1
#>
[CmdletBinding()]
param([ValidateSet('Debug', 'Release')] [string] $Configuration = 'Release')

$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
$fakes = Join-Path $root "tests/JobSignal.TestFakes/bin/$Configuration/net10.0/JobSignal.TestFakes.dll"
if (-not (Test-Path $fakes)) { throw "Build first (dotnet build JobSignal.Cmdlets.sln -c $Configuration): $fakes is missing." }
Add-Type -Path $fakes
$target = Join-Path $root 'module/samples/infojobs-sample.jsonl'
New-Item -ItemType Directory -Path (Split-Path $target) -Force | Out-Null
[JobSignal.TestFakes.InfojobsSampleCorpus]::WriteJsonLines($target, [JobSignal.TestFakes.InfojobsSampleCorpus]::DefaultCount,
    [JobSignal.TestFakes.InfojobsSampleCorpus]::DefaultSeed, $null)
Write-Verbose "Wrote $target"
