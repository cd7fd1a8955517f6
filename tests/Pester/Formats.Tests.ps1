# Every format view renders without errors and the table views fit the terminal, at 80 and 120 columns.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    $script:db = Join-Path (New-TestDirectory) 'formats.db'
    $sample = Get-RepoPath 'module/samples/infojobs-sample.jsonl'
    $script:offers = @(Get-InfojobsOffer -Path $sample -ErrorAction SilentlyContinue | Select-Object -First 40)
    $script:results = @($offers | Invoke-OfferIngestion -DatabasePath $db -PassThru -ErrorAction SilentlyContinue)
    $script:samples = [ordered]@{
        Offer           = $offers | Select-Object -First 3
        IngestionResult = $results | Where-Object { $_.PSObject.TypeNames -contains 'JobSignal.OfferIngestionResult' } | Select-Object -First 3
        IngestionRun    = Get-IngestionRun -DatabasePath $db
        Company         = Update-CompanyAggregation -DatabasePath $db -All | Select-Object -First 5
        StoredOffer     = Get-SignalOffer -DatabasePath $db | Select-Object -First 3
        SignalScore     = Measure-OfferSignal -Title 'Finance Operations Specialist' -Description 'Pagos internacionales en USD, sin AWS.'
        Catalog         = Get-SignalCatalog
        CatalogReport   = Test-SignalCatalog -Path (Get-RepoPath 'module/catalog/default-catalog.json')
    }
}

Describe 'Format views' {
    It '<Name> renders as a table and a list at <Width> columns without errors' -ForEach @(
        foreach ($name in 'Offer', 'IngestionResult', 'IngestionRun', 'Company', 'StoredOffer', 'SignalScore', 'Catalog', 'CatalogReport') {
            @{ Name = $name; Width = 80 }
            @{ Name = $name; Width = 120 }
        }
    ) {
        $items = @($samples[$Name])
        $items.Count | Should -BeGreaterThan 0 -Because "the $Name sample must exist"
        $table = $items | Format-Table -DisplayError | Out-String -Width $Width
        $list = $items | Format-List -DisplayError | Out-String -Width $Width
        $table | Should -Not -Match '#ERR'
        $list | Should -Not -Match '#ERR'
        $table.Trim() | Should -Not -BeNullOrEmpty
        if ($Width -eq 120) {
            # The default table view is designed for a 120-column terminal.
            ($table -split "`r?`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
        }
    }

    It 'exports companies and offers to CSV as readable text, not type names' {
        $csv = Join-Path (Split-Path $db) 'export.csv'
        $samples.Company | Export-Csv $csv
        $company = (Import-Csv $csv)[0]
        $company.CategoryScores | Should -Match '^\w+=\d+(\.\d+)?(, \w+=\d+(\.\d+)?)*$'
        $company.CategoryScores | Should -Be "$($samples.Company[0].CategoryScores)"
        $samples.StoredOffer | Export-Csv $csv
        $offer = (Import-Csv $csv)[0]
        $offer.Match | Should -Be ('{0}{1}, {2}: {3}' -f $samples.StoredOffer[0].Score, $(if ($samples.StoredOffer[0].IsStrong) { ' strong' } else { '' }),
            $samples.StoredOffer[0].TopCategory, $samples.StoredOffer[0].Match.Evidence)
    }

    It '<Name> exports to CSV without a cell that reads as a type name' -ForEach @(
        foreach ($name in 'Offer', 'IngestionResult', 'IngestionRun', 'Company', 'StoredOffer', 'SignalScore', 'Catalog', 'CatalogReport') { @{ Name = $name } }
    ) {
        $rows = @($samples[$Name]) | ConvertTo-Csv | ConvertFrom-Csv
        $rows.Count | Should -BeGreaterThan 0
        $typeNames = foreach ($row in $rows) {
            foreach ($cell in $row.PSObject.Properties) {
                if ($cell.Value -match '^System\.|^JobSignal\.|`\d|\[\]$') { "$($cell.Name)=$($cell.Value)" }
            }
        }
        @($typeNames) | Should -BeNullOrEmpty
    }

    It 'exports a run''s affected companies as their ids' {
        $run = @($samples.IngestionRun)[0]
        $run.AffectedCompanyIds.Count | Should -BeGreaterThan 1
        ($run | ConvertTo-Csv | ConvertFrom-Csv).AffectedCompanyIds | Should -Be ($run.AffectedCompanyIds -join ', ')
    }

    It 'lists a company without strong offers or a top category without empty brackets' {
        $weak = Update-CompanyAggregation -DatabasePath $db -All | Where-Object { $_.StrongOffers -eq 0 } | Select-Object -First 1
        $weak | Should -Not -BeNullOrEmpty
        $text = $weak | Format-List | Out-String -Width 200
        $text | Should -Match '0 strong, posting activity'
        $text | Should -Not -Match '\(avg \)|\(\)'
        $strong = $samples.Company | Where-Object { $_.StrongOffers -gt 0 } | Select-Object -First 1
        ($strong | Format-List | Out-String -Width 200) | Should -Match 'strong \(avg \d+\.\d\)'
    }

    It 'shows the explanation of a score as a list view' {
        $text = $samples.SignalScore | Format-List -View Explanation -DisplayError | Out-String -Width 120
        $text | Should -Match 'pagos internacionales'
        $text | Should -Not -Match '#ERR'
    }
}
