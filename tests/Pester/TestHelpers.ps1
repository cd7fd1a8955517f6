# Shared by every Pester file: imports the module under test (the packaged one that build.ps1 -Task Test made)
# and gives each test a throw-away folder.

function Import-JobSignalUnderTest {
    if (-not $env:JOBSIGNAL_TEST_MODULE) { throw 'JOBSIGNAL_TEST_MODULE is not set: run the tests through ./build.ps1 -Task Test.' }
    Import-Module $env:JOBSIGNAL_TEST_MODULE -Force -ErrorAction Stop
}

function New-TestDirectory {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("jobsignal-test-" + [guid]::NewGuid().ToString('n'))
    New-Item -ItemType Directory -Path $dir | Out-Null
    $dir
}

function Get-RepoPath([string] $RelativePath) { Join-Path $env:JOBSIGNAL_REPO_ROOT $RelativePath }

function Get-SharedDataPath([string] $RelativePath) {
    # shared/ sits beside the repository (in CI: beside the clone).
    Join-Path (Split-Path $env:JOBSIGNAL_REPO_ROOT -Parent) "shared/data/$RelativePath"
}
