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
        # Hidden (DontShow) parameters bind from piped objects only, and stay out of the help: StorePath (and a piped Run), nothing else.
        $hidden = @($command.Parameters.Values | Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and $_.DontShow } })
        $hidden.Name | Where-Object { $_ -notin 'StorePath', 'Run' } | Should -BeNullOrEmpty
        $own = @($command.Parameters.Keys | Where-Object { $_ -notin $common -and $_ -notin $hidden.Name })
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

    It 'lists -WhatIf and -Confirm in its syntax and parameters exactly when the cmdlet supports them' {
        $supported = @('WhatIf', 'Confirm' | Where-Object { $command.Parameters.ContainsKey($_) })
        foreach ($name in 'WhatIf', 'Confirm') {
            $inSyntax = @($help.Syntax.SyntaxItem | ForEach-Object { $_.Parameter.Name }) -contains $name
            $described = $help.Parameters.Parameter | Where-Object Name -EQ $name
            $inSyntax | Should -Be ($name -in $supported) -Because "-$name in the syntax"
            [bool] $described | Should -Be ($name -in $supported) -Because "-$name in the parameters"
            if ($described) { ($described.Description.Text -join ' ') | Should -Not -BeNullOrEmpty }
        }
    }

    It 'gives each parameter the default value a fresh cmdlet has' {
        $instance = [Activator]::CreateInstance($command.ImplementingType)
        foreach ($p in $help.Parameters.Parameter | Where-Object Name -NotIn 'WhatIf', 'Confirm') {
            $value = $command.ImplementingType.GetProperty($p.Name).GetValue($instance)
            if ($value -is [System.Management.Automation.SwitchParameter]) { $p.DefaultValue | Should -Be 'False'; continue }
            if ($null -eq $value -or ($value -is [string] -and $value -eq '') -or ($value -is [array] -and $value.Count -eq 0) -or
                ($value.GetType().IsValueType -and $value -eq [Activator]::CreateInstance($value.GetType()))) {
                $p.DefaultValue | Should -Be 'None' -Because "-$($p.Name) has no default"
                continue
            }
            $p.DefaultValue | Should -Not -Be 'None' -Because "-$($p.Name) defaults to $value"
            if ($value -is [timespan]) { $p.DefaultValue | Should -Be "$($value.TotalMilliseconds)ms" }
            elseif ($value -isnot [array]) { $p.DefaultValue | Should -Be ([System.Convert]::ToString($value, [cultureinfo]::InvariantCulture)) }
        }
    }

    It 'names its inputs and outputs' {
        $help.InputTypes | Should -Not -BeNullOrEmpty
        $help.ReturnValues | Should -Not -BeNullOrEmpty
    }
}

Describe 'Default values in the help' {
    It 'shows the defaults a user relies on' {
        (Get-Help Sync-CompanySheet -Parameter SheetName).DefaultValue | Should -Be 'Companies'
        (Get-Help Invoke-OfferIngestion -Parameter ChunkSize).DefaultValue | Should -Be '200'
        (Get-Help Update-CompanyAggregation -Parameter RetryDelay).DefaultValue | Should -Be '100ms'
        (Get-Help Update-OfferScore -Parameter WhatIf).DefaultValue | Should -Be 'False'
        (Get-Help Get-SignalCompany -Parameter Top).DefaultValue | Should -Be 'None'
    }
}

Describe 'about_JobSignal' {
    It 'is available through Get-Help' {
        $about = Get-Help about_JobSignal
        ($about | Out-String) | Should -Match 'JobSignal'
    }
}
