# The whole loop the sales team lives in, on real files and the loopback Google fake:
# replay -> ingest -> aggregate -> Sheet; a rep edits the Sheet; feedback import; a second ingestion; Sheet again.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    Add-Type -Path $env:JOBSIGNAL_TEST_FAKES

    $script:dir = New-TestDirectory
    $script:db = Join-Path $dir 'jobsignal.db'
    $script:google = [JobSignal.TestFakes.FakeGoogleServer]::new()
    $account = [JobSignal.TestFakes.FakeServiceAccount]::Create($google, (Join-Path $dir 'account'), 'e2e@fake-project.iam.gserviceaccount.com')
    $null = $google.AddSpreadsheet('e2e-sheet')
    $script:sheet = @{ SpreadsheetId = 'e2e-sheet'; CredentialPath = $account.KeyFilePath; BaseUri = $google.BaseUri; DatabasePath = $db }
    $script:offers = @(Get-InfojobsOffer -Path (Get-RepoPath 'module/samples/infojobs-sample.jsonl') -ErrorAction SilentlyContinue)

    function Get-Tab { $google.Spreadsheet('e2e-sheet').Tab('Companies') }
    function Get-RowOf([long] $CompanyId) {
        $keys = @((Get-Tab).ColumnValues('A', 2))
        for ($i = 0; $i -lt $keys.Count; $i++) { if ([string] $keys[$i] -eq [string] $CompanyId) { return $i + 2 } }
        throw "company $CompanyId has no row"
    }
    function Get-Cell([string] $A1) { ([string] (Get-Tab)[$A1]) -replace "^'", '' }

    # A new vacancy of a stored company, built by hand the way a script would (nested company object).
    function New-OfferFor([long] $CompanyId, [string] $Id) {
        $stored = @(Get-SignalOffer -DatabasePath $db -CompanyId $CompanyId)[0]
        $source = $offers | Where-Object ProviderOfferId -EQ $stored.ProviderOfferId | Select-Object -First 1
        [pscustomobject]@{
            ProviderOfferId = $Id
            Url             = "https://www.infojobs.net/madrid/tesoreria/of-i$Id"
            Title           = 'Tesorero/a internacional'
            Description     = "Gestión de cobros y pagos internacionales en USD y GBP, coberturas de tipo de cambio y SWIFT. Oferta $Id."
            PublishedAt     = [DateTimeOffset]::UtcNow
            Company         = [pscustomobject]@{
                ProviderCompanyId = $source.Company.ProviderCompanyId; Name = $source.Company.Name
                Website = $source.Company.Website; Hidden = $source.Company.Hidden
            }
        }
    }
}

AfterAll {
    $google.Dispose()
    Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'From InfoJobs payloads to the Sheet and back' {
    It 'runs the loop and keeps the Sheet and the store consistent, cell by cell' {
        # 1. Replay, ingest, aggregate, sync: the composed pipeline.
        $sync = $offers | Invoke-OfferIngestion -DatabasePath $db | Update-CompanyAggregation -DatabasePath $db | Sync-CompanySheet @sheet
        $companies = @(Get-SignalCompany -DatabasePath $db)
        $sync.Appended | Should -Be $companies.Count
        (Get-Tab).LastDataRow | Should -Be ($companies.Count + 1)
        $top, $second = $companies[0], $companies[1]
        Get-RowOf $top.CompanyId | Should -Be 2          # ranked: best first
        $topRow = Get-RowOf $top.CompanyId
        Get-Cell "B$topRow" | Should -Be $top.Name
        Get-Cell "C$topRow" | Should -Be 'PENDING'
        [double] (Get-Tab)["D$topRow"] | Should -Be $top.MaxScore
        [double] (Get-Tab)["E$topRow"] | Should -Be $top.StrongOffers
        [double] (Get-Tab)["F$topRow"] | Should -Be $top.UniqueOffers
        [double] (Get-Tab)["G$topRow"] | Should -Be $top.OfferCount
        Get-Cell "H$topRow" | Should -Match ([regex]::Escape($top.TopOfferUrl))

        # 2. A rep rejects the top company (lowercase, as typed), marks it a false positive, adds a note and a column of
        #    their own; another company becomes a high-interest lead.
        $secondRow = Get-RowOf $second.CompanyId
        (Get-Tab)["C$topRow"] = 'rejected'
        (Get-Tab)["L$topRow"] = 'FP'
        (Get-Tab)["M$topRow"] = 'Solo mercado nacional'
        (Get-Tab)["N$topRow"] = 'llamado el lunes'
        (Get-Tab)["C$secondRow"] = 'HIGH_INTEREST'

        # 3. Feedback import: the Sheet wins, in one transaction.
        $feedback = Import-CompanySheetFeedback @sheet
        $feedback.ResolutionsChanged | Should -Be 2
        $feedback.Frozen | Should -Be 1
        $feedback.FeedbackAdded | Should -Be 1
        (Get-SignalCompany -DatabasePath $db -CompanyId $top.CompanyId).Resolution | Should -Be 'REJECTED'
        (Get-SignalCompany -DatabasePath $db -CompanyId $second.CompanyId).Resolution | Should -Be 'HIGH_INTEREST'

        # 4. A second ingestion: the rejected company's new offer is skipped, the other company's is stored.
        $run = @((New-OfferFor $top.CompanyId 'e2e-new-1'), (New-OfferFor $second.CompanyId 'e2e-new-2')) | Invoke-OfferIngestion -DatabasePath $db
        $run.Status | Should -Be 'success'
        $run.SkippedResolved | Should -Be 1
        $run.Inserted | Should -Be 1
        $null = Update-CompanyAggregation -DatabasePath $db -All
        $frozen = Get-SignalCompany -DatabasePath $db -CompanyId $top.CompanyId
        $frozen.MaxScore | Should -Be $top.MaxScore
        $frozen.UniqueOffers | Should -Be $top.UniqueOffers    # metrics frozen through -All, nothing deleted
        @(Get-SignalOffer -DatabasePath $db -CompanyId $top.CompanyId).Count | Should -Be $top.UniqueOffers
        $grown = Get-SignalCompany -DatabasePath $db -CompanyId $second.CompanyId
        $grown.UniqueOffers | Should -Be ($second.UniqueOffers + 1)

        # 5. Sync again: only the changed system cells move; the reps' cells and column survive.
        $again = Sync-CompanySheet @sheet
        $again.Appended | Should -Be 0
        $again.Updated | Should -BeGreaterOrEqual 1
        Get-RowOf $top.CompanyId | Should -Be $topRow
        Get-Cell "C$topRow" | Should -Be 'rejected'
        Get-Cell "L$topRow" | Should -Be 'FP'
        Get-Cell "M$topRow" | Should -Be 'Solo mercado nacional'
        Get-Cell "N$topRow" | Should -Be 'llamado el lunes'
        [double] (Get-Tab)["D$topRow"] | Should -Be $top.MaxScore
        Get-Cell "C$secondRow" | Should -Be 'HIGH_INTEREST'
        [double] (Get-Tab)["F$secondRow"] | Should -Be $grown.UniqueOffers
        [double] (Get-Tab)["G$secondRow"] | Should -Be $grown.OfferCount

        # 6. A third sync with nothing new writes no values.
        $google.ClearRequests()
        $quiet = Sync-CompanySheet @sheet
        $quiet.Updated + $quiet.Appended | Should -Be 0
        $google.Count([JobSignal.TestFakes.FakeGoogleCall]::ValuesBatchUpdate) + $google.Count([JobSignal.TestFakes.FakeGoogleCall]::ValuesAppend) | Should -Be 0
    }
}
