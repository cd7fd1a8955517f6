# Tab completion of -Category, -Keyword, -Resolution and -Province, as PowerShell's own TabExpansion2 offers it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

Describe 'Argument completion' {
    It 'completes -Category with the catalog''s category ids' {
        $matches = Get-Completion 'Get-SignalCompany -Category cat_fx_'
        @($matches.CompletionText) | Should -Be @('cat_fx_currency_ops', 'cat_fx_crossborder_payments', 'cat_fx_trade_ops')
        $matches[0].ToolTip | Should -Match 'FX & Currency Operations'
    }

    It 'completes -Keyword with keywords and phrases, quoting those with spaces' {
        $texts = @((Get-Completion 'Get-SignalOffer -Keyword pagos').CompletionText)
        $texts | Should -Contain "'pagos internacionales'"
        @((Get-Completion 'Get-SignalCompany -Keyword SWI').CompletionText) | Should -Be @('SWIFT')
    }

    It 'matches what was typed as matching reads text: any case, with or without accents, ids or names' {
        @((Get-Completion 'Get-SignalCompany -Keyword dol').CompletionText) | Should -Be @('Dólares')
        @((Get-Completion 'Get-SignalCompany -Keyword DÓL').CompletionText) | Should -Be @('Dólares')
        @((Get-Completion 'Get-SignalOffer -Keyword expansion').CompletionText) | Should -Be @("'expansión internacional'")
        @((Get-Completion "Get-SignalCompany -Category 'fx &").CompletionText) | Should -Be @("'FX & Currency Operations'")
        @((Get-Completion 'Get-SignalCompany -Category cloud').CompletionText) | Should -Be @("'Cloud Stack (Proxy)'")
    }

    It 'follows -CatalogPath when the command has one' {
        # The default catalog with one category renamed (and its keywords following it).
        $path = Join-Path (New-TestDirectory) 'custom.json'
        (Get-Content (Get-RepoPath 'module/catalog/default-catalog.json') -Raw) -replace 'cat_fx_currency_ops', 'cat_fx_custom' | Set-Content $path
        @((Get-Completion "Get-SignalCompany -CatalogPath '$path' -Category cat_fx_cu").CompletionText) | Should -Contain 'cat_fx_custom'
    }

    It 'reads a relative -CatalogPath from the current location, as the command does' {
        $dir = New-TestDirectory
        (Get-Content (Get-RepoPath 'module/catalog/default-catalog.json') -Raw) -replace 'cat_fx_currency_ops', 'cat_fx_relative' | Set-Content (Join-Path $dir 'custom.json')
        Push-Location $dir
        try { @((Get-Completion "Get-SignalCompany -CatalogPath ./custom.json -Category cat_fx_re").CompletionText) | Should -Be @('cat_fx_relative') }
        finally { Pop-Location }
    }

    It 'completes -Resolution with the six resolutions' {
        @((Get-Completion 'Get-SignalCompany -Resolution ').CompletionText | Sort-Object) |
            Should -Be @('ACCEPTED', 'ALREADY_CLIENT', 'HIGH_INTEREST', 'IN_PROGRESS', 'PENDING', 'REJECTED')
        @((Get-Completion 'Get-SignalCompany -Resolution HIGH').CompletionText) | Should -Be @('HIGH_INTEREST')
    }

    It 'completes -Province with InfoJobs province keys' {
        @((Get-Completion 'Get-InfojobsOffer -Query x -Province bar').CompletionText) | Should -Be @('barcelona')
        @((Get-Completion 'Get-InfojobsOffer -Query x -Province santa').CompletionText) | Should -Be @('santa-cruz-de-tenerife')
    }
}
