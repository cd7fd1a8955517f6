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

# JobSignal.Core and its SQLite live in the module's private load context: reach them through the loaded assemblies.
function Get-PrivateType([string] $Assembly, [string] $Name) {
    $loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {
        $_.GetName().Name -eq $Assembly -and [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name -eq 'JobSignal'
    } | Select-Object -First 1
    $loaded.GetType($Name, $true)
}

# The test's own SQL on the store file (fault-injection triggers, damaged rows, row counts): never a test-only code path.
function Invoke-TestSql([string] $Path, [string] $Sql) {
    $null = Get-IngestionRun -DatabasePath $Path -WarningAction SilentlyContinue  # creates the store and loads SQLite
    $connection = (Get-PrivateType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$Path;Pooling=False")
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $command.ExecuteScalar()
    }
    finally { $connection.Dispose() }
}

# Damages a table of a store as a failing disk might: the page that holds the table's root, overwritten.
function Set-DamagedTable([string] $Path, [string] $Table) {
    $pageSize = [long] (Invoke-TestSql $Path 'PRAGMA page_size')
    $rootPage = [long] (Invoke-TestSql $Path "SELECT rootpage FROM sqlite_schema WHERE name = '$Table'")
    $file = [IO.File]::Open($Path, 'Open', 'Write')
    try {
        $file.Position = ($rootPage - 1) * $pageSize
        $file.Write([byte[]]::new($pageSize).ForEach({ 0xA5 }), 0, $pageSize)
    }
    finally { $file.Dispose() }
}

# A run row as a process that ended would leave it: 'running', owned by a process of this host that cannot be running
# (a pid above the largest any system hands out).
function New-LeftRunningRun([string] $Path) {
    $owner = "$([Environment]::MachineName):2147483600:1700000000000"
    $id = [long] (Invoke-TestSql $Path "INSERT INTO ingestion_runs (started_at, owner) VALUES ('2025-05-01T00:00:00.000Z', '$owner') RETURNING id")
    [pscustomobject]@{ RunId = $id; Owner = $owner }
}
