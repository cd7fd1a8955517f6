BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:cmdletNames = @((Import-PowerShellDataFile $env:JOBSIGNAL_TEST_MODULE).CmdletsToExport)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help for <_>' -ForEach $cmdletNames {
    BeforeAll {
        $script:help = Get-Help -Name $_ -Full -ErrorAction Stop
        $script:command = Get-Command -Name $_ -Module JobSignal
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*Test-JobSignal|^\s*\w+-\w+ \['  # not the auto-generated syntax line
        ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples with code' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $help.Examples.Example) { $example.Code | Should -Not -BeNullOrEmpty }
    }

    It 'describes every parameter' {
        $own = @($command.Parameters.Keys | Where-Object { $_ -notin $common })
        foreach ($name in $own) {
            $p = $help.Parameters.Parameter | Where-Object Name -EQ $name
            $p | Should -Not -BeNullOrEmpty -Because "-$name must be in the help"
            ($p.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }

    It 'shows every parameter''s value type by its own name (not Nullable`1)' {
        ($help | Out-String -Width 200) | Should -Not -Match 'Nullable'
        foreach ($p in @($help.Parameters.Parameter | Where-Object { $_.ParameterValue })) {
            $p.ParameterValue | Should -Not -Match '`' -Because "-$($p.Name) shows a generic type name"
        }
    }

    It 'names its inputs and outputs' {
        $help.InputTypes | Should -Not -BeNullOrEmpty
        $help.ReturnValues | Should -Not -BeNullOrEmpty
    }
}

Describe 'about_JobSignal' {
    It 'is available through Get-Help' {
        $about = Get-Help about_JobSignal
        ($about | Out-String) | Should -Match 'JobSignal'
    }
}
