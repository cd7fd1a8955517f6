#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages, demonstrates and benchmarks the JobSignal module.
.DESCRIPTION
    Build    compiles the solution and lays the module out beside JobSignal.psd1 (bin/, bin/deps/, en-US/), so that
             Import-Module ./JobSignal.psd1 works from the repository root.
    Test     Build + Package, then every xUnit test and every Pester test (Pester 5.7.1 is restored from NuGet into
             out/tools; no PowerShell Gallery needed) in a fresh pwsh -NoProfile -NonInteractive. Prints one line
             "N passed, N failed, N skipped" and exits non-zero on any failure.
    Package  a self-contained module folder out/JobSignal/<version>/ that works when copied into $env:PSModulePath.
    Demo     the offline demo: replays the bundled sample offers through the whole pipeline into a throw-away store.
    Bench    the benchmark (synthetic corpus; see README "Performance").
    Clean    removes bin/, out/ and every obj/ folder.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Clean')]
    [string[]] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Pester: run only the files matching this wildcard (e.g. '*Catalog*').
    [string] $PesterFilter = '*',
    # Skip the xUnit half of Test (quick Pester iterations).
    [switch] $SkipXunit,
    # Skip the Pester half of Test.
    [switch] $SkipPester,
    # Bench: the corpus sizes to measure.
    [int[]] $BenchSizes = @(10000, 100000)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$manifest = Import-PowerShellDataFile (Join-Path $root 'JobSignal.psd1')
$version = $manifest.ModuleVersion
$binDir = Join-Path $root 'bin'
$outDir = Join-Path $root 'out'
# Generated help sits beside the manifest (the module base), where Get-Help looks for it.
$helpDir = Join-Path $root 'en-US'
$packageDir = Join-Path $outDir "JobSignal/$version"
$pesterVersion = '5.7.1'

# A fresh pwsh of the same version as this one: `dotnet pwsh.dll` when running as the dotnet tool.
function Get-PwshCommand {
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if ((Split-Path ([Environment]::ProcessPath) -LeafBase) -eq 'dotnet' -and (Test-Path $dll)) { return @([Environment]::ProcessPath, $dll) }
    @([Environment]::ProcessPath)
}

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Build {
    $publishDir = Join-Path $outDir 'publish'
    if (Test-Path $publishDir) { Remove-Item $publishDir -Recurse -Force }
    Invoke-Native dotnet @('build', (Join-Path $root 'JobSignal.Cmdlets.sln'), '-c', $Configuration, "-p:Version=$version", '--nologo', '-v', 'minimal')
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/JobSignal.Cmdlets'), '-c', $Configuration, "-p:Version=$version", '-o', $publishDir, '--no-build', '--nologo', '-v', 'minimal')

    # Only the cmdlet assembly sits in bin/ (default load context); everything else goes to bin/deps (private context).
    if (Test-Path $binDir) { Remove-Item $binDir -Recurse -Force }
    $depsDir = Join-Path $binDir 'deps'
    New-Item -ItemType Directory -Path $depsDir -Force | Out-Null
    foreach ($item in Get-ChildItem $publishDir) {
        if ($item.Name -like 'JobSignal.Cmdlets.*' -and $item.Extension -in '.dll', '.pdb') {
            Copy-Item $item.FullName $binDir
        }
        elseif ($item.Name -like '*.deps.json' -or $item.Name -like 'System.Management.Automation*') { continue }
        else { Copy-Item $item.FullName $depsDir -Recurse }
    }
    Build-Help
}

function Build-Help {
    $helpSource = Join-Path $root 'module/help'
    if (-not (Test-Path $helpSource)) { return }
    # A separate pwsh: the help builder imports the module it has just built to read each cmdlet's metadata.
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'src/build/HelpBuilder.ps1') `
        -ModulePath (Join-Path $root 'JobSignal.psd1') -SourceDirectory $helpSource -OutputDirectory $helpDir
    if ($LASTEXITCODE -ne 0) { throw 'Building the help failed (see above).' }
}

function Invoke-Package {
    if (Test-Path $packageDir) { Remove-Item $packageDir -Recurse -Force }
    New-Item -ItemType Directory -Path $packageDir -Force | Out-Null
    Copy-Item (Join-Path $root 'JobSignal.psd1') $packageDir
    Copy-Item $binDir $packageDir -Recurse
    Copy-Item (Join-Path $root 'module') $packageDir -Recurse -Exclude 'help'
    # Help (cmdlet MAML and about topics) is looked up under the module base's culture folder.
    if (Test-Path $helpDir) { Copy-Item $helpDir $packageDir -Recurse }
    $packageDir
}

function Install-Pester {
    $toolsDir = Join-Path $outDir 'tools'
    $pesterManifest = Join-Path $toolsDir "packages/pester/$pesterVersion/tools/Pester.psd1"
    if (Test-Path $pesterManifest) { return $pesterManifest }
    $restoreDir = Join-Path $toolsDir 'pester-restore'
    New-Item -ItemType Directory -Path $restoreDir -Force | Out-Null
    # A throw-away project whose only purpose is to make NuGet download Pester (no PowerShell Gallery here).
    @"
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$pesterVersion]" /></ItemGroup>
</Project>
"@ | Set-Content (Join-Path $restoreDir 'PesterRestore.csproj')
    Invoke-Native dotnet @('restore', (Join-Path $restoreDir 'PesterRestore.csproj'), '--packages', (Join-Path $toolsDir 'packages'), '--nologo', '-v', 'quiet')
    if (-not (Test-Path $pesterManifest)) { throw "Pester $pesterVersion was restored but $pesterManifest is missing." }
    $pesterManifest
}

function Invoke-XunitTests {
    $resultsDir = Join-Path $outDir 'test-results'
    if (Test-Path $resultsDir) { Remove-Item $resultsDir -Recurse -Force }
    & dotnet test (Join-Path $root 'JobSignal.Cmdlets.sln') -c $Configuration --no-build --nologo -v quiet `
        --logger 'trx;LogFilePrefix=xunit' --results-directory $resultsDir | Out-Host
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $trxFiles = @(Get-ChildItem $resultsDir -Filter '*.trx' -ErrorAction SilentlyContinue)
    if ($trxFiles.Count -eq 0) { $counts.Failed = 1; Write-Warning 'xUnit produced no results file.'; return $counts }
    foreach ($trx in $trxFiles) {
        [xml] $doc = Get-Content $trx.FullName -Raw
        $c = $doc.TestRun.ResultSummary.Counters
        $counts.Passed += [int] $c.passed
        $counts.Failed += [int] $c.failed + [int] $c.error + [int] $c.timeout + [int] $c.aborted
        # A skipped xUnit test is in the total but not executed; the trx 'notExecuted' counter stays 0 for it.
        $counts.Skipped += [Math]::Max([int] $c.notExecuted, [int] $c.total - [int] $c.executed)
    }
    if ($LASTEXITCODE -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1; Write-Warning "dotnet test exited with $LASTEXITCODE." }
    $counts
}

function Invoke-PesterTests {
    param([string] $ModuleManifest)
    $pester = Install-Pester
    $resultFile = Join-Path $outDir 'pester-result.json'
    if (Test-Path $resultFile) { Remove-Item $resultFile }
    $fakes = Join-Path $root "tests/JobSignal.TestFakes/bin/$Configuration/net10.0/JobSignal.TestFakes.dll"
    $script = @'
param($Pester, $TestsPath, $ResultFile)
$Filter = $env:JOBSIGNAL_PESTER_FILTER
Import-Module $Pester -Force
$config = New-PesterConfiguration
$config.Run.Path = @(Get-ChildItem $TestsPath -Recurse -Filter "$Filter.Tests.ps1" | ForEach-Object FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$result = Invoke-Pester -Configuration $config
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content $ResultFile
'@
    $env:JOBSIGNAL_TEST_MODULE = $ModuleManifest
    $env:JOBSIGNAL_TEST_FAKES = $fakes
    $env:JOBSIGNAL_REPO_ROOT = $root
    # Passed through the environment: a '*' argument to a native command would be globbed on Unix.
    $env:JOBSIGNAL_PESTER_FILTER = $PesterFilter
    $scriptFile = Join-Path $outDir 'run-pester.ps1'
    Set-Content $scriptFile $script
    # A fresh process: the module under test is imported into a clean -NoProfile -NonInteractive session.
    $pwsh = Get-PwshCommand
    $env:JOBSIGNAL_TEST_PWSH = $pwsh -join [IO.Path]::PathSeparator
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $scriptFile -Pester $pester -TestsPath (Join-Path $root 'tests/Pester') -ResultFile $resultFile | Out-Host
    if (-not (Test-Path $resultFile)) { return [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $r = Get-Content $resultFile -Raw | ConvertFrom-Json
    [ordered]@{ Passed = [int] $r.Passed; Failed = [int] $r.Failed; Skipped = [int] $r.Skipped }
}

function Invoke-Test {
    Invoke-Build
    $package = Invoke-Package
    $total = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $parts = @()
    if (-not $SkipXunit) { $parts += Invoke-XunitTests }
    if (-not $SkipPester) { $parts += Invoke-PesterTests -ModuleManifest (Join-Path $package 'JobSignal.psd1') }
    foreach ($p in $parts) { foreach ($k in @($total.Keys)) { $total[$k] += $p[$k] } }
    Write-Output "$($total.Passed) passed, $($total.Failed) failed, $($total.Skipped) skipped"
    if ($total.Failed -gt 0 -or $total.Passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $root 'module/demo/Start-JobSignalDemo.ps1') -ModulePath (Join-Path $root 'JobSignal.psd1')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Bench {
    Invoke-Build
    Invoke-Native dotnet @('run', '--project', (Join-Path $root 'tests/JobSignal.Bench'), '-c', 'Release', '--', '--module', (Join-Path $root 'JobSignal.psd1'), '--sizes', ($BenchSizes -join ','))
}

function Invoke-Clean {
    foreach ($dir in @($binDir, $outDir, $helpDir) + @(Get-ChildItem $root -Recurse -Directory -Filter obj | ForEach-Object FullName) + @(Get-ChildItem (Join-Path $root 'src'), (Join-Path $root 'tests') -Recurse -Directory -Filter bin | ForEach-Object FullName)) {
        if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
    }
}

foreach ($t in $Task) {
    switch ($t) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Package' { Invoke-Build; Invoke-Package }
        'Demo' { Invoke-Demo }
        'Bench' { Invoke-Bench }
        'Clean' { Invoke-Clean }
    }
}
