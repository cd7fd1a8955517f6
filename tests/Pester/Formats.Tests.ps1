# Every format view renders without errors, from real output of the cmdlets: table views read whole in an 80-column
# console (79 usable characters) and a 120-column one, and list views label what they show by property names.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The views as the package ships them: one entry per <View>, with its control and what it shows.
    function Get-ModuleView {
        $base = Split-Path $env:JOBSIGNAL_TEST_MODULE -Parent
        foreach ($file in (Import-PowerShellDataFile $env:JOBSIGNAL_TEST_MODULE).FormatsToProcess) {
            foreach ($view in ([xml] (Get-Content (Join-Path $base $file) -Raw)).Configuration.ViewDefinitions.View) {
                $entry = @{ View = $view.Name; Type = @($view.ViewSelectedBy.TypeName)[0]; File = Split-Path $file -Leaf }
                if ($view.TableControl) {
                    $entry.Control = 'Table'
                    $entry.Labels = @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object Label)
                    $entry.Widths = @($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object { if ($_.Width) { [int] $_.Width } else { 0 } })
                }
                else {
                    $entry.Control = 'List'
                    $entry.Items = @($view.ListControl.ListEntries.ListEntry.ListItems.ListItem | ForEach-Object {
                            @{ Label = $_.Label; PropertyName = $_.PropertyName; Script = [bool] $_.ScriptBlock }
                        })
                }
                $entry
            }
        }
    }
    $script:views = @(Get-ModuleView)
    $script:tableViews = @($views | Where-Object Control -EQ 'Table')
    $script:listViews = @($views | Where-Object Control -EQ 'List')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    Add-Type -Path $env:JOBSIGNAL_TEST_FAKES
    $script:work = New-TestDirectory
    $script:db = Join-Path $work 'formats.db'
    $sample = Get-RepoPath 'module/samples/infojobs-sample.jsonl'

    # Real output of every kind: the sample ingested and aggregated, synced to a fake Google Sheet where a rep sets
    # resolutions and feedback that are imported back, a scheduled run against a fake InfoJobs (one query failing).
    $script:offers = @(Get-InfojobsOffer -Path $sample -ErrorAction SilentlyContinue | Select-Object -First 40)
    $script:results = @($offers | Invoke-OfferIngestion -DatabasePath $db -PassThru -ErrorAction SilentlyContinue)
    $null = Update-CompanyAggregation -DatabasePath $db -All
    $script:google = [JobSignal.TestFakes.FakeGoogleServer]::new()
    $account = [JobSignal.TestFakes.FakeServiceAccount]::Create($google, (Join-Path $work 'account'), 'formats@fake-project.iam.gserviceaccount.com')
    $spreadsheet = $google.AddSpreadsheet('formats-' + [guid]::NewGuid().ToString('n'))
    $sheet = @{ SpreadsheetId = $spreadsheet.Id; CredentialPath = $account.KeyFilePath; BaseUri = $google.BaseUri; DatabasePath = $db }
    $sync = Sync-CompanySheet @sheet
    $tab = $spreadsheet.Tab('Companies')
    $tab['C2'] = 'ALREADY_CLIENT'; $tab['C3'] = 'HIGH_INTEREST'; $tab['L4'] = 'FP'; $tab['M4'] = 'A pepper exporter, not FX'
    $feedback = Import-CompanySheetFeedback @sheet
    $script:infojobs = [JobSignal.TestFakes.FakeInfojobsServer]::new()
    $infojobs.AddOffersFromJsonLines($sample)
    $infojobs.FailingQuery = 'broken'
    $config = Join-Path $work 'jobsignal.config.psd1'
    "@{ DatabasePath = 'pipeline.db'; Infojobs = @{ BaseUri = '$($infojobs.BaseUri)' }; Queries = @(@{ Key = 'pagos-internacionales-madrid'; MaxOffers = 20 }, @{ Key = 'broken-query'; Query = 'broken'; MaxPages = 1 }) }" |
        Set-Content $config
    $secret = ConvertTo-SecureString -AsPlainText -Force ([JobSignal.TestFakes.FakeInfojobsServer]::DefaultClientSecret)
    $credential = [pscredential]::new([JobSignal.TestFakes.FakeInfojobsServer]::DefaultClientId, $secret)
    $summary = Invoke-JobSignalPipeline -ConfigPath $config -Credential $credential -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    $score = Measure-OfferSignal -Title 'Finance Operations Specialist' -Description 'Pagos internacionales en USD con clientes en EE.UU., sin AWS. Stripe y HubSpot.'
    $badCatalog = Join-Path $work 'bad-catalog.json'
    (Get-Content (Get-RepoPath 'module/catalog/default-catalog.json') -Raw) -replace '"tier": 3', '"tier": 7' | Set-Content $badCatalog
    $catalog = Get-SignalCatalog

    # By the first type name each view selects.
    $script:samples = @{
        'JobSignal.Offer'                                 = $offers | Select-Object -First 3
        'JobSignal.OfferIngestionResult'                  = $results | Where-Object { $_.PSObject.TypeNames -contains 'JobSignal.OfferIngestionResult' } | Select-Object -First 3
        'JobSignal.IngestionRun'                          = Get-IngestionRun -DatabasePath $db
        'JobSignal.Company'                               = Get-SignalCompany -DatabasePath $db -Top 5   # with the reps' resolutions
        'JobSignal.StoredOffer'                           = Get-SignalOffer -DatabasePath $db | Select-Object -First 3
        'JobSignal.SheetSyncResult'                       = $sync
        'JobSignal.SheetFeedbackResult'                   = $feedback
        'JobSignal.Core.Sheets.ResolutionChange'          = $feedback.Changes
        'JobSignal.Core.Sheets.FeedbackEventChange'       = $feedback.FeedbackEvents
        'JobSignal.FeedbackEvent'                         = Get-SignalFeedback -DatabasePath $db
        'JobSignal.PipelineSummary'                       = $summary
        'JobSignal.QueryState'                            = Get-JobSignalQueryState -DatabasePath (Join-Path $work 'pipeline.db')
        'JobSignal.Core.Signal.SignalScore'               = $score
        'JobSignal.Core.Signal.SignalContribution'        = $score.Categories
        'JobSignal.Core.Signal.SignalHit'                 = $score.Hits
        'JobSignal.Core.Signal.BucketScore'               = $score.Buckets
        'JobSignal.Core.Signal.SynergyPart'               = $score.Synergy
        'JobSignal.Core.Catalog.CatalogValidationReport'  = Test-SignalCatalog -Path $badCatalog
        'JobSignal.Core.Catalog.CatalogIssue'             = (Test-SignalCatalog -Path $badCatalog).Issues | Select-Object -First 3
        'JobSignal.Core.Catalog.SignalCatalog'            = $catalog
        'JobSignal.Core.Catalog.CatalogCategory'          = $catalog.Categories
        'JobSignal.Core.Catalog.CatalogKeyword'           = $catalog.Keywords
        'JobSignal.Core.Catalog.CatalogPhrase'            = $catalog.Phrases
    }

    # The columns a reader needs at any width: whole, never cut ('…').
    $script:keyColumns = @{
        'JobSignal.Offer'                            = 'ProviderOfferId'
        'JobSignal.OfferIngestionResult'             = 'ProviderOfferId', 'OfferId'
        'JobSignal.IngestionRun'                     = 'RunId', 'Status'
        'JobSignal.Company'                          = 'Id', 'Max', 'Resolution'
        'JobSignal.StoredOffer'                      = 'OfferId', 'Score'
        'JobSignal.SheetSyncResult'                  = 'Sheet', 'Errors'
        'JobSignal.SheetFeedbackResult'              = 'Sheet', 'Warnings'
        'JobSignal.Core.Sheets.ResolutionChange'     = 'CompanyId', 'To'
        'JobSignal.Core.Sheets.FeedbackEventChange'  = 'CompanyId', 'Value'
        'JobSignal.FeedbackEvent'                    = 'CompanyId', 'Kind', 'Value'
        'JobSignal.QueryState'                       = 'QueryKey', 'Failures'
        'JobSignal.Core.Signal.SignalScore'          = 'Score', 'TopCategory'
        'JobSignal.Core.Signal.SignalContribution'   = 'Id', 'Points'
        'JobSignal.Core.Signal.SignalHit'            = 'Id', 'Negated'
        'JobSignal.Core.Signal.BucketScore'          = 'Bucket', 'Capped'
        'JobSignal.Core.Signal.SynergyPart'          = 'Bucket', 'Applied'
        'JobSignal.Core.Catalog.CatalogIssue'        = 'Severity', 'Path'
        'JobSignal.Core.Catalog.CatalogCategory'     = 'Id', 'Bucket'
        'JobSignal.Core.Catalog.CatalogKeyword'      = 'Id', 'CategoryId'
        'JobSignal.Core.Catalog.CatalogPhrase'       = 'Id', 'Tier'
    }

    # List items that sum up several properties in one line, under a label of their own.
    $script:summaryLabels = @{
        'JobSignal.Offer'        = 'Location', 'Salary'
        'JobSignal.Company'      = 'Offers', 'TopOffer'
        'JobSignal.StoredOffer'  = 'Company', 'Location', 'Seen', 'Evidence', 'Explanation'
        'JobSignal.IngestionRun' = 'Offers', 'Skipped', 'Failed', 'Fetch', 'Aggregation'
    }

    # A rendered table: its header labels, their character ranges, and the data rows.
    function Read-Table([string] $Text) {
        $lines = @($Text -split "`r?`n" | Where-Object { $_.Trim() })
        $dashes = [regex]::Matches($lines[1], '-+')
        [pscustomobject]@{
            Lines   = $lines
            Header  = $lines[0]
            Dashes  = $lines[1]
            # Each header label stands above its dashes (right-aligned ones too).
            Columns = @(foreach ($d in $dashes) {
                    $end = [Math]::Min($d.Index + $d.Length, $lines[0].Length)
                    [pscustomobject]@{ Label = $(if ($d.Index -lt $lines[0].Length) { $lines[0].Substring($d.Index, $end - $d.Index).Trim() }); Length = $d.Length }
                })
            Rows    = @($lines | Select-Object -Skip 2)
        }
    }
}

AfterAll {
    $google.Dispose()
    $infojobs.Dispose()
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Format views' {
    It 'has a real sample here for every view the module ships (<View>, <File>)' -ForEach $views {
        @($samples[$Type]).Count | Should -BeGreaterThan 0 -Because "the $Type sample must exist"
    }

    It '<View> reads whole at <Width> columns: a one-line header of whole labels, key columns uncut, no line too long' -ForEach @(
        foreach ($view in $tableViews) { foreach ($width in 79, 80, 119, 120) { $view + @{ Width = $width } } }
    ) {
        # 79 and 119: what an 80- and a 120-column console leave a table (PowerShell keeps the last column free).
        $text = @($samples[$Type]) | Format-Table -View $View -DisplayError | Out-String -Width $Width
        $text | Should -Not -Match '#ERR'
        $table = Read-Table $text

        $table.Dashes | Should -Match '^[ -]+$' -Because 'a header label that does not fit wraps to a second line'
        ($table.Lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual $Width
        foreach ($column in $table.Columns) {
            $column.Label | Should -BeIn $Labels -Because "'$($column.Label)' must be a whole label of the view"
            $column.Length | Should -BeGreaterOrEqual $column.Label.Length
        }
        @($table.Columns.Label) | Should -Be @($Labels | Select-Object -First $table.Columns.Count) -Because 'columns drop from the right, whole'
        foreach ($key in $keyColumns[$Type]) {
            $table.Columns.Label | Should -Contain $key -Because "$key is a key column of $View"
            # Where the view puts the column: the widths before it, one space after each (0: takes what is left).
            $at = [array]::IndexOf($Labels, $key)
            $start = ($Widths | Select-Object -First $at | Measure-Object -Sum).Sum + $at
            $length = if ($Widths[$at]) { $Widths[$at] } else { $Width }
            foreach ($row in $table.Rows) {
                if ($row.Length -gt $start) {
                    $row.Substring($start, [Math]::Min($length, $row.Length - $start)) | Should -Not -Match '…' -Because "$key is shown whole"
                }
            }
        }
        if ($Width -ge 119) { @($table.Columns.Label) | Should -Be $Labels -Because 'a 120-column console shows every column' }
    }

    It 'shows the whole InfoJobs id of each -PassThru result at 80 and 120 columns, Reason taking what is left' {
        $items = @($samples['JobSignal.OfferIngestionResult'])
        foreach ($width in 79, 119) {
            $text = $items | Out-String -Width $width
            foreach ($item in $items) { $text | Should -Match ([regex]::Escape($item.ProviderOfferId)) }
            (Read-Table $text).Columns[-1].Label | Should -Be 'Reason'
        }
    }

    It '<View> labels each property it shows by the property''s name' -ForEach $listViews {
        $item = @($samples[$Type])[0]
        foreach ($entry in $Items) {
            if ($entry.PropertyName) {
                if ($entry.Label) { $entry.Label | Should -Be $entry.PropertyName }
                $item.PSObject.Properties[$entry.PropertyName] | Should -Not -BeNullOrEmpty -Because "$Type has $($entry.PropertyName)"
            }
            elseif ($entry.Label -notin $summaryLabels[$Type]) {
                $item.PSObject.Properties[$entry.Label] | Should -Not -BeNullOrEmpty -Because "'$($entry.Label)' must be a property of $Type, or a summary line"
            }
        }
        $list = @($samples[$Type]) | Format-List -View $View -DisplayError | Out-String -Width 120
        $list | Should -Not -Match '#ERR'
    }

    It 'shows the counts of a catalog and of its validation report by the names that select them' {
        $report = $samples['JobSignal.Core.Catalog.CatalogValidationReport']
        $catalog = $samples['JobSignal.Core.Catalog.SignalCatalog']
        foreach ($subject in $report, $catalog) {
            $text = $subject | Format-List | Out-String -Width 200
            foreach ($name in 'CategoryCount', 'KeywordCount', 'AliasCount', 'PhraseCount') {
                $subject.$name | Should -BeGreaterThan 0
                $text | Should -Match "(?m)^$name\s+: $($subject.$name)\s*$"
            }
        }
        $catalog.CategoryCount | Should -Be $catalog.Categories.Count
        ($report | Select-Object CategoryCount, KeywordCount).KeywordCount | Should -Be $catalog.KeywordCount
    }

    It 'shows a score''s negated and excluded counts by the names that select them' {
        $score = Measure-OfferSignal -Text 'No hay pagos en USD. Clientes en EE.UU.' -CompanyName 'Clientes S.L.'
        $text = $score | Format-List -View Explanation | Out-String -Width 200
        $score.NegatedCount | Should -BeGreaterThan 0
        $text | Should -Match "(?m)^NegatedCount\s+: $($score.NegatedCount)\s*$"
        $text | Should -Match "(?m)^ExcludedCount\s+: $($score.ExcludedCount)\s*$"
    }

    It 'shows the catalog''s scoring, synergy included, as values rather than type names' {
        $scoring = $samples['JobSignal.Core.Catalog.SignalCatalog'].Scoring
        $text = $scoring | Format-List | Out-String -Width 200
        $text | Should -Not -Match 'JobSignal\.Core\.'
        $text | Should -Match '(?m)^Synergy\s+: \+1\.0 if intl_footprint >= 1\.0, \+0\.8 if business_model >= 1\.0 \(max 1\.8\)\s*$'
        ($scoring.Synergy | Format-List | Out-String -Width 200) | Should -Not -Match 'JobSignal\.Core\.'
        ($samples['JobSignal.Core.Catalog.SignalCatalog'] | Format-List | Out-String -Width 200) | Should -Match '(?m)^Scoring\s+: strong >= 6 of 10'
    }

    It 'exports companies and offers to CSV as readable text, not type names' {
        $csv = Join-Path $work 'export.csv'
        $companies = @($samples['JobSignal.Company'])
        $companies | Export-Csv $csv
        $company = (Import-Csv $csv)[0]
        $company.CategoryScores | Should -Match '^\w+=\d+(\.\d+)?(, \w+=\d+(\.\d+)?)*$'
        $company.CategoryScores | Should -Be "$($companies[0].CategoryScores)"
        $stored = @($samples['JobSignal.StoredOffer'])
        $stored | Export-Csv $csv
        $offer = (Import-Csv $csv)[0]
        $offer.Match | Should -Be ('{0}{1}, {2}: {3}' -f $stored[0].Score, $(if ($stored[0].IsStrong) { ' strong' } else { '' }),
            $stored[0].TopCategory, $stored[0].Match.Evidence)
    }

    It '<Name> exports to CSV without a cell that reads as a type name' -ForEach @(
        foreach ($name in 'JobSignal.Offer', 'JobSignal.OfferIngestionResult', 'JobSignal.IngestionRun', 'JobSignal.Company', 'JobSignal.StoredOffer',
            'JobSignal.FeedbackEvent', 'JobSignal.Core.Signal.SignalScore', 'JobSignal.Core.Catalog.SignalCatalog', 'JobSignal.Core.Catalog.CatalogValidationReport') { @{ Name = $name } }
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
        $run = @($samples['JobSignal.IngestionRun'])[0]
        $run.AffectedCompanyIds.Count | Should -BeGreaterThan 1
        ($run | ConvertTo-Csv | ConvertFrom-Csv).AffectedCompanyIds | Should -Be ($run.AffectedCompanyIds -join ', ')
    }

    It 'lists a company without strong offers or a top category without empty brackets' {
        $weak = Update-CompanyAggregation -DatabasePath $db -All | Where-Object { $_.StrongOffers -eq 0 } | Select-Object -First 1
        $weak | Should -Not -BeNullOrEmpty
        $text = $weak | Format-List | Out-String -Width 200
        $text | Should -Match '0 strong, posting activity'
        $text | Should -Not -Match '\(avg \)|\(\)'
        $strong = $samples['JobSignal.Company'] | Where-Object { $_.StrongOffers -gt 0 } | Select-Object -First 1
        ($strong | Format-List | Out-String -Width 200) | Should -Match 'strong \(avg \d+\.\d\)'
    }

    It 'shows the explanation of a score as a list view' {
        $text = $samples['JobSignal.Core.Signal.SignalScore'] | Format-List -View Explanation -DisplayError | Out-String -Width 120
        $text | Should -Match 'pagos internacionales'
        $text | Should -Not -Match '#ERR'
    }
}
