# The module's dependencies load in their own AssemblyLoadContext, so JobSignal works beside another module that
# already loaded different versions of them, and does not break that module either.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:work = New-TestDirectory
    $script:pwsh = @($env:JOBSIGNAL_TEST_PWSH -split [IO.Path]::PathSeparator)

    # Compiles C# into an assembly with the given simple name (Add-Type -OutputAssembly names it at random).
    function New-NamedAssembly([string] $Name, [string] $Source, [string] $Path) {
        Add-Type -AssemblyName Microsoft.CodeAnalysis.CSharp
        $runtime = [IO.Path]::GetDirectoryName([object].Assembly.Location)
        $references = [Microsoft.CodeAnalysis.MetadataReference[]]@(
            [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile([object].Assembly.Location)
            [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile((Join-Path $runtime 'System.Runtime.dll')))
        $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create($Name,
            [Microsoft.CodeAnalysis.SyntaxTree[]]@([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($Source)), $references,
            [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
        $stream = [IO.File]::Create($Path)
        try { $result = $compilation.Emit($stream) } finally { $stream.Dispose() }
        if (-not $result.Success) { throw "Compiling $Name failed: $($result.Diagnostics -join '; ')" }
    }
}

Describe 'Dependency isolation' {
    It 'works after a conflicting <Name> <Version> was loaded first, and leaves it usable' -ForEach @(
        @{ Name = 'Dapper'; Version = '0.9.1.0' }
        @{ Name = 'Microsoft.Data.Sqlite'; Version = '1.0.0.0' }
        @{ Name = 'Newtonsoft.Json'; Version = '6.0.0.0' }
    ) {
        # A dummy assembly with the dependency's name and another version, built here.
        $dummy = Join-Path $work "$Name.dll"
        $source = @"
[assembly: System.Reflection.AssemblyVersion("$Version")]
namespace ConflictProbe { public static class Marker { public static string Which() { return "dummy $Name $Version"; } } }
"@
        New-NamedAssembly -Name $Name -Source $source -Path $dummy
        $db = Join-Path $work "iso-$Name.db"
        $script = @"
`$ErrorActionPreference = 'Stop'
`$dummy = [Reflection.Assembly]::LoadFrom('$dummy')
# PowerShell itself ships some of them (Newtonsoft.Json): then the other module has its own load context.
if (`$dummy.GetName().Version -ne [version]'$Version') { `$dummy = [Runtime.Loader.AssemblyLoadContext]::new('OtherModule').LoadFromAssemblyPath('$dummy') }
Import-Module '$($env:JOBSIGNAL_TEST_MODULE)'
`$runs = @(Get-IngestionRun -DatabasePath '$db')
`$loaded = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq '$Name' }
[pscustomobject]@{
    Runs = `$runs.Count
    StoreCreated = Test-Path '$db'
    Versions = @(`$loaded | ForEach-Object { `$_.GetName().Version.ToString() }) -join ','
    DummyStillWorks = `$dummy.GetType('ConflictProbe.Marker').GetMethod('Which').Invoke(`$null, @())
} | ConvertTo-Json -Compress
"@
        $out = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $result = ($out | Select-Object -Last 1) | ConvertFrom-Json
        $result.StoreCreated | Should -BeTrue
        $result.Runs | Should -Be 0
        $result.DummyStillWorks | Should -Be "dummy $Name $Version"
        # Both versions live side by side: the dummy in the default context, the real one in JobSignal's.
        @($result.Versions -split ',') | Should -Contain $Version
        @($result.Versions -split ',').Count | Should -BeGreaterOrEqual 2
    }
}

AfterAll { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }
