BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    $script:manifest = Import-PowerShellDataFile $env:JOBSIGNAL_TEST_MODULE
}

Describe 'The packaged JobSignal module' {
    It 'is imported from the package folder, not the repository' {
        (Get-Module JobSignal).ModuleBase | Should -Be (Split-Path $env:JOBSIGNAL_TEST_MODULE -Parent)
    }

    It 'exports exactly the cmdlets its manifest names' {
        $exported = @((Get-Module JobSignal).ExportedCmdlets.Keys | Sort-Object)
        $exported | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'binds the company ids of its own results (a run''s AffectedCompanyIds, a feedback import''s CompanyIds) in every cmdlet that takes -CompanyId' {
        $withCompanyId = @(Get-Command -Module JobSignal | Where-Object { $_.Parameters.ContainsKey('CompanyId') })
        $withCompanyId.Count | Should -Be 6
        foreach ($command in $withCompanyId) {
            $parameter = $command.Parameters['CompanyId']
            @($parameter.Aliases | Sort-Object) | Should -Be @('AffectedCompanyIds', 'CompanyIds') -Because "$($command.Name) takes company ids"
            @($parameter.Attributes | Where-Object { $_ -is [Parameter] -and $_.ValueFromPipelineByPropertyName }).Count |
                Should -BeGreaterThan 0 -Because "$($command.Name) binds them by property name"
        }
    }

    It 'names every cmdlet explicitly (no wildcards)' {
        $manifest.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
    }

    It 'loads its dependencies into a private load context' {
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'JobSignal.Core' }
        if (-not $core) { Set-ItResult -Skipped -Because 'no exported cmdlet has touched JobSignal.Core yet' ; return }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core[0]).Name | Should -Be 'JobSignal'
    }

    # src/build/OptimizeAtFirstCall.targets: the JIT compiles each of our methods, and those of the store's SQLite stack
    # as published with the module, optimized on its first call.
    It 'has every method of <Assembly> marked AggressiveOptimization' -ForEach @(
        @{ Assembly = 'bin/JobSignal.Cmdlets.dll' }
        @{ Assembly = 'bin/deps/JobSignal.Core.dll' }
        @{ Assembly = 'bin/deps/Dapper.dll' }
        @{ Assembly = 'bin/deps/Microsoft.Data.Sqlite.dll' }
        @{ Assembly = 'bin/deps/SQLitePCLRaw.core.dll' }
        @{ Assembly = 'bin/deps/SQLitePCLRaw.provider.e_sqlite3.dll' }
    ) {
        $stream = [IO.File]::OpenRead((Join-Path (Get-Module JobSignal).ModuleBase $Assembly))
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $withBody = @($metadata.MethodDefinitions | ForEach-Object { $metadata.GetMethodDefinition($_) } |
                Where-Object RelativeVirtualAddress -ne 0)
            $unmarked = @($withBody | Where-Object { -not ($_.ImplAttributes -band [Reflection.MethodImplAttributes]::AggressiveOptimization) } |
                ForEach-Object { $metadata.GetString($_.Name) })

            $withBody.Count | Should -BeGreaterThan 100
            $unmarked | Should -BeNullOrEmpty
        }
        finally { $stream.Dispose() }
    }
}

Describe 'The README install steps' {
    It 'install the package, and install it again over itself (a rebuild, an upgrade) without an error or a stale file' {
        # The README's lines as they stand, from the repository root where the package under test was built; the two
        # dotnet lines that build it are left out (the package is there), the rest runs as written, under 'Stop'.
        $readme = Get-Content (Get-RepoPath 'README.md') -Raw
        $snippet = [regex]::Match($readme, '(?s)\n## Install\r?\n.*?```powershell\r?\n(.*?)```').Groups[1].Value
        $lines = @($snippet -split '\r?\n' | Where-Object { $_.Trim() })
        @($lines | Where-Object { $_ -like 'dotnet *' }).Count | Should -Be 2
        $install = ($lines | Where-Object { $_ -notlike 'dotnet *' }) -join [Environment]::NewLine
        $install | Should -Match 'Import-Module JobSignal'

        $home_ = New-TestDirectory
        $modules = Join-Path $home_ 'Modules'
        $script = Join-Path $home_ 'install.ps1'
        @"
`$ErrorActionPreference = 'Stop'
`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath
Set-Location '$env:JOBSIGNAL_REPO_ROOT'
$install
'installed:' + (Get-Module JobSignal).ModuleBase
"@ | Set-Content $script
        $pwsh = @($env:JOBSIGNAL_TEST_PWSH -split [IO.Path]::PathSeparator)
        $version = (Import-PowerShellDataFile $env:JOBSIGNAL_TEST_MODULE).ModuleVersion
        $installed = Join-Path $modules "JobSignal/$version"
        $saved = $env:HOME
        try {
            $env:HOME = $home_   # the child's own profile folders, caches and user module path
            $first = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "the first install printed: $first"
            # What an older build of this version left that the new one no longer ships.
            Set-Content (Join-Path $installed 'bin/deps/Stale.Dependency.dll') 'left by an older build'
            $second = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File $script 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "the second install printed: $second"
        }
        finally { $env:HOME = $saved }

        @($first)[-1] | Should -Be "installed:$installed"
        @($second)[-1] | Should -Be "installed:$installed"
        Join-Path $installed 'bin/deps/Stale.Dependency.dll' | Should -Not -Exist
        @(Get-ChildItem (Join-Path $modules 'JobSignal')).Name | Should -Be @($version)
        $packaged = @(Get-ChildItem (Split-Path $env:JOBSIGNAL_TEST_MODULE) -Recurse -File).Count
        @(Get-ChildItem $installed -Recurse -File).Count | Should -Be $packaged
        Remove-Item $home_ -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'Native SQLite in the package' {
    It 'carries e_sqlite3 for <Rid>' -ForEach @(
        @{ Rid = 'win-x64'; File = 'e_sqlite3.dll' }
        @{ Rid = 'linux-x64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'linux-arm64'; File = 'libe_sqlite3.so' }
        @{ Rid = 'osx-x64'; File = 'libe_sqlite3.dylib' }
        @{ Rid = 'osx-arm64'; File = 'libe_sqlite3.dylib' }
    ) {
        $base = Split-Path $env:JOBSIGNAL_TEST_MODULE -Parent
        Join-Path $base "bin/deps/runtimes/$Rid/native/$File" | Should -Exist
    }

    It 'ships no deps.json (loading must not depend on one)' {
        $base = Split-Path $env:JOBSIGNAL_TEST_MODULE -Parent
        Get-ChildItem $base -Recurse -Filter '*.deps.json' | Should -BeNullOrEmpty
    }
}
