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

    # src/build/OptimizeAtFirstCall.targets: the JIT compiles each of our methods optimized on its first call.
    It 'has every method of <Assembly> marked AggressiveOptimization' -ForEach @(
        @{ Assembly = 'bin/JobSignal.Cmdlets.dll' }
        @{ Assembly = 'bin/deps/JobSignal.Core.dll' }
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
