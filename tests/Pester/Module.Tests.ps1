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

    It 'names every cmdlet explicitly (no wildcards)' {
        $manifest.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
    }

    It 'loads its dependencies into a private load context' {
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'JobSignal.Core' }
        if (-not $core) { Set-ItResult -Skipped -Because 'no exported cmdlet has touched JobSignal.Core yet' ; return }
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($core[0]).Name | Should -Be 'JobSignal'
    }
}
