# Aggregation as the stored data says it (SPEC 6): the strong decision of each match, per-category points, reposts,
# the store the piped objects came from, and how dates without a time zone are read.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    $script:moduleBase = (Get-Module JobSignal).ModuleBase
    $script:sample = Join-Path $moduleBase 'module/samples/infojobs-sample.jsonl'
    $script:defaultCatalog = Join-Path $moduleBase 'module/catalog/default-catalog.json'

    function Get-ErrorIds($Records) { @($Records | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }

    # What aggregation must say of each company, read from its stored offers: strong offers and their average score.
    function Get-ExpectedStrong([string] $Db) {
        $expected = @{}
        foreach ($group in Get-SignalOffer -DatabasePath $Db | Group-Object CompanyId) {
            $strong = @($group.Group | Where-Object IsStrong)
            $expected[[long] $group.Name] = '{0} {1}' -f $strong.Count, $(if ($strong) { ($strong.Score | Measure-Object -Average).Average } else { '' })
        }
        $expected
    }

    function Get-ActualStrong($Companies) {
        $actual = @{}
        foreach ($company in $Companies) { $actual[$company.CompanyId] = '{0} {1}' -f $company.StrongOffers, $company.AvgStrongScore }
        $actual
    }

    function Assert-SameTable([hashtable] $Actual, [hashtable] $Expected) {
        ($Actual.Keys | Sort-Object) | Should -Be ($Expected.Keys | Sort-Object)
        foreach ($key in $Expected.Keys) { $Actual[$key] | Should -Be $Expected[$key] -Because "company $key" }
    }
}

Describe 'Strong offers are what the stored matches say' {
    BeforeEach {
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'jobsignal.db'
        # A tuned catalog: the shipped one, strong only from 9.
        $script:tuned = Join-Path $dir 'tuned.json'
        $model = Get-Content $defaultCatalog -Raw | ConvertFrom-Json
        $model.version = '9.0.0'
        $model.scoring.strongThreshold = 9
        $model | ConvertTo-Json -Depth 20 | Set-Content $tuned
    }
    AfterEach {
        Remove-Item Env:JOBSIGNAL_CATALOG -ErrorAction SilentlyContinue
        Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'the README composition with a tuned catalog, and any later aggregation of the store, count the matches'' decisions' {
        $piped = @(Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $db -CatalogPath $tuned |
                Update-CompanyAggregation -DatabasePath $db)

        $offers = @(Get-SignalOffer -DatabasePath $db)
        $offers.CatalogVersion | Sort-Object -Unique | Should -Be '9.0.0'
        # The sample has offers that the default threshold (6) would call strong and the tuned one does not.
        @($offers | Where-Object { $_.Score -ge 6 -and -not $_.IsStrong }).Count | Should -BeGreaterThan 2
        $expected = Get-ExpectedStrong $db
        Assert-SameTable (Get-ActualStrong $piped) $expected

        # The same store aggregated again, with whatever catalog is in force, says the same.
        Assert-SameTable (Get-ActualStrong (Update-CompanyAggregation -DatabasePath $db -All)) $expected
        $env:JOBSIGNAL_CATALOG = $tuned
        Assert-SameTable (Get-ActualStrong (Update-CompanyAggregation -DatabasePath $db -All)) $expected
        $env:JOBSIGNAL_CATALOG = $defaultCatalog
        Assert-SameTable (Get-ActualStrong (Update-CompanyAggregation -DatabasePath $db -All)) $expected
    }

    It '-CatalogPath is accepted with a warning that it is ignored; re-scoring is what changes the decisions' {
        $null = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $db -CatalogPath $tuned
        $before = Get-ExpectedStrong $db

        $companies = @(Update-CompanyAggregation -DatabasePath $db -All -CatalogPath $defaultCatalog -WarningVariable warned 3>$null)

        Assert-SameTable (Get-ActualStrong $companies) $before
        "$warned" | Should -BeLike "*CatalogPath*obsolete*Update-OfferScore -CatalogPath*"

        # Re-scored with the default catalog: the stored decisions change, and the re-aggregation counts them.
        $run = Update-OfferScore -DatabasePath $db -All -CatalogPath $defaultCatalog
        $run.CatalogVersion | Should -Not -Be '9.0.0'
        $after = Get-ExpectedStrong $db
        ($after.Values -join '|') | Should -Not -Be ($before.Values -join '|')
        Assert-SameTable (Get-ActualStrong (Get-SignalCompany -DatabasePath $db)) $after
        @(Get-SignalOffer -DatabasePath $db | Where-Object { ($_.Score -ge 6) -ne $_.IsStrong }).Count | Should -Be 0
    }
}

Describe 'Per-category scores and -Category see every category that earned points in an offer' {
    BeforeAll {
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'jobsignal.db'
        $null = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $db | Update-CompanyAggregation -DatabasePath $db
        $script:offers = @(Get-SignalOffer -DatabasePath $db)
        # Per offer, the categories its explanation says earned points.
        $script:pointsOf = @{}
        foreach ($offer in $offers) {
            $pointsOf[$offer.OfferId] = @{}
            foreach ($category in $offer.Match.Categories) { if ($category.Points -gt 0) { $pointsOf[$offer.OfferId][$category.Id] = $category.Points } }
        }
        function Get-CompaniesWith([string] $Category, [int] $MinScore = 0) {
            @($offers | Where-Object { $pointsOf[$_.OfferId].ContainsKey($Category) -and $_.Score -ge $MinScore } |
                    ForEach-Object CompanyId | Sort-Object -Unique)
        }
    }
    AfterAll { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'finds every company with an offer of that category: <_>' -ForEach 'cat_fx_crossborder_payments', 'cat_intl_market_presence', 'cat_fx_currency_ops' {
        $category = $_
        $strong = Get-CompaniesWith $category 6
        # The sample has companies whose strong offer carries the category without it being the offer's top one.
        @($offers | Where-Object { $pointsOf[$_.OfferId].ContainsKey($category) -and $_.Score -ge 6 -and $_.TopCategory -ne $category }).Count |
            Should -BeGreaterThan 0
        @(Get-SignalCompany -DatabasePath $db -Category $category -MinScore 6 | ForEach-Object CompanyId | Sort-Object) | Should -Be $strong
        @(Get-SignalCompany -DatabasePath $db -Category $category | ForEach-Object CompanyId | Sort-Object) | Should -Be (Get-CompaniesWith $category)
        @(Get-SignalOffer -DatabasePath $db -Category $category | ForEach-Object OfferId | Sort-Object) |
            Should -Be @($offers | Where-Object { $pointsOf[$_.OfferId].ContainsKey($category) } | ForEach-Object OfferId | Sort-Object)
    }

    It 'CategoryScores hold, per category, the most points it earned in one of the company''s offers' {
        foreach ($company in Get-SignalCompany -DatabasePath $db) {
            $expected = @{}
            foreach ($offer in $offers | Where-Object CompanyId -EQ $company.CompanyId) {
                foreach ($entry in $pointsOf[$offer.OfferId].GetEnumerator()) {
                    if (-not $expected.ContainsKey($entry.Key) -or $expected[$entry.Key] -lt $entry.Value) { $expected[$entry.Key] = $entry.Value }
                }
            }
            @($company.CategoryScores.Keys | Sort-Object) | Should -Be @($expected.Keys | Sort-Object) -Because "company $($company.CompanyId)"
            foreach ($key in $expected.Keys) { $company.CategoryScores[$key] | Should -Be $expected[$key] }
        }
        "$((Get-SignalCompany -DatabasePath $db -Top 1).CategoryScores)" | Should -Match '^\w+=\d+(\.\d+)?(, \w+=\d+(\.\d+)?)*$'
    }

    It 'the README example returns the companies it promises, and their offers prove it' {
        $companies = @(Get-SignalCompany -DatabasePath $db -MinScore 6 -Category cat_fx_crossborder_payments -Since (Get-Date).AddDays(-7))
        $companies.Count | Should -Be (Get-CompaniesWith cat_fx_crossborder_payments 6).Count
        $companies.Count | Should -BeGreaterThan 3
        foreach ($company in $companies) {
            $proof = @($company | Get-SignalOffer -DatabasePath $db -MinScore 6 -Category cat_fx_crossborder_payments)
            $proof.Count | Should -BeGreaterThan 0 -Because "$($company.Name) was listed"
            $proof.Match.Categories.Id | Should -Contain 'cat_fx_crossborder_payments'
        }
        # The help's example: a category's companies at -MinScore 4, then their offers that prove it.
        $four = @(Get-SignalCompany -DatabasePath $db -Category cat_fx_crossborder_payments -MinScore 4)
        @($four | Get-SignalOffer -DatabasePath $db -Category cat_fx_crossborder_payments -MinScore 4 | ForEach-Object CompanyId | Sort-Object -Unique) |
            Should -Be @($four.CompanyId | Sort-Object)
    }
}

Describe 'A strong vacancy published again is a strong signal of its new publication' {
    BeforeEach {
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'jobsignal.db'
    }
    AfterEach { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It '-Since ... -StrongSince finds a company that reposted its strong role yesterday' {
        $text = 'Gestión de pagos internacionales en USD y cobros multidivisa con clientes de Estados Unidos.'
        function New-Posting([string] $Id, [DateTimeOffset] $Published) {
            [pscustomobject]@{ ProviderOfferId = $Id; Url = "https://www.infojobs.net/x/of-i$Id"; Title = 'Tesorero'; Description = $text
                CompanyName = 'Repost Co'; Website = 'https://repost.es'; PublishedAt = $Published; UpdatedAt = $Published }
        }
        $now = [DateTimeOffset]::UtcNow
        $null = New-Posting 'old1' $now.AddDays(-60) | Invoke-OfferIngestion -DatabasePath $db | Update-CompanyAggregation -DatabasePath $db
        @(Get-SignalCompany -DatabasePath $db -Since (Get-Date).AddDays(-7) -StrongSince).Count | Should -Be 0

        $results = @(New-Posting 'new1' $now.AddDays(-1) | Invoke-OfferIngestion -DatabasePath $db -PassThru | Update-CompanyAggregation -DatabasePath $db)

        $company = Get-SignalCompany -DatabasePath $db
        $company.OfferCount, $company.UniqueOffers | Should -Be @(2, 1)
        $company.LastStrongAt | Should -Be ([DateTimeOffset]::new($now.AddDays(-1).UtcDateTime.Ticks - $now.AddDays(-1).UtcDateTime.Ticks % 10000, [TimeSpan]::Zero))
        $results.CompanyId | Should -Be $company.CompanyId
        (Get-SignalCompany -DatabasePath $db -Since (Get-Date).AddDays(-7) -StrongSince).Name | Should -Be 'Repost Co'
        # The offer shows both publications: its own and the repost's.
        $offer = Get-SignalOffer -DatabasePath $db
        $offer.PublishedAt | Should -BeLessThan $now.AddDays(-59)
        $offer.RepublishedAt | Should -Be $company.LastStrongAt
        ($offer | Format-List | Out-String) | Should -Match 'RepublishedAt\s*:'
    }
}

Describe 'Piped objects work on the store they came from' {
    BeforeAll {
        Add-Type -Path $env:JOBSIGNAL_TEST_FAKES
        $script:google = [JobSignal.TestFakes.FakeGoogleServer]::new()
        $script:accountDir = New-TestDirectory
        $script:account = [JobSignal.TestFakes.FakeServiceAccount]::Create($google, (Join-Path $accountDir 'account'), 'pester@fake-project.iam.gserviceaccount.com')
    }
    AfterAll {
        $google.Dispose()
        Remove-Item $accountDir -Recurse -Force -ErrorAction SilentlyContinue
    }
    BeforeEach {
        $script:dir = New-TestDirectory
        $script:storeA = Join-Path $dir 'a.db'
        $script:storeB = Join-Path $dir 'b.db'
        $savedDb = $env:JOBSIGNAL_DB
        $env:JOBSIGNAL_DB = $storeA
        # Store A has run 1 and company 1 of its own.
        $script:runA = [pscustomobject]@{ ProviderOfferId = 'a1'; Url = 'https://www.infojobs.net/x/of-ia1'; Title = 'Tesorero'
            Description = 'Pagos en USD'; CompanyName = 'Store A Co' } | Invoke-OfferIngestion
    }
    AfterEach {
        $env:JOBSIGNAL_DB = $savedDb
        Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'a run piped from store B is aggregated in store B when -DatabasePath is left out (two real stores)' {
        $companies = @(Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $storeB | Update-CompanyAggregation)

        $runB = Get-IngestionRun -DatabasePath $storeB -RunId 1
        $runB.StorePath | Should -Be $storeB
        $companies.Count | Should -Be $runB.AffectedCompanyIds.Count
        $companies.Name | Should -Not -Contain 'Store A Co'
        $companies[0].StorePath | Should -Be $storeB
        $runB.CompaniesAggregated | Should -Be $runB.AffectedCompanyIds.Count
        @(Get-SignalCompany -DatabasePath $storeB | Where-Object { -not $_.AggregatedAt }).Count | Should -Be 0
        # Store A and its run 1 are untouched.
        (Get-IngestionRun -RunId 1).CompaniesAggregated | Should -Be 0
        (Get-SignalCompany -CompanyId 1).AggregatedAt | Should -BeNullOrEmpty
        $runA.StorePath | Should -Be $storeA
    }

    It 'query cmdlets and Update-OfferScore follow the piped objects to their store' {
        $null = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $storeB | Update-CompanyAggregation
        $bCompanies = @(Get-SignalCompany -DatabasePath $storeB -Top 3)

        $offers = @($bCompanies | Get-SignalOffer)
        $offers.Count | Should -BeGreaterThan 0
        ($offers.CompanyId | Sort-Object -Unique) | Should -Be ($bCompanies.CompanyId | Sort-Object)
        $offers[0].StorePath | Should -Be $storeB
        @($offers | Get-SignalCompany).Name | Sort-Object | Should -Be ($bCompanies.Name | Sort-Object)
        (Get-IngestionRun -DatabasePath $storeB -Last 1 | Get-IngestionRun).QueryKey | Should -Be (Get-IngestionRun -DatabasePath $storeB -Last 1).QueryKey
        $rescored = $offers[0] | Update-OfferScore
        $rescored.StorePath | Should -Be $storeB
        @(Get-IngestionRun -DatabasePath $storeB).Count | Should -Be 2
        @(Get-IngestionRun).Count | Should -Be 1
        # An object that names its store but no company (nor offer) is passed over, not taken as "every company".
        @([pscustomobject]@{ StorePath = $storeB } | Get-SignalCompany -ErrorVariable errs).Count | Should -Be 0
        @([pscustomobject]@{ StorePath = $storeB } | Get-SignalOffer -ErrorVariable more).Count | Should -Be 0
        $errs.Count + $more.Count | Should -Be 0
    }

    It 'refuses objects of another store than -DatabasePath says (InputStoreMismatch), before using their ids' {
        $null = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $storeB
        $before = (Get-FileHash $storeA).Hash

        $failure = { Get-IngestionRun -DatabasePath $storeB -RunId 1 | Update-CompanyAggregation -DatabasePath $storeA } | Should -Throw -PassThru

        $failure.FullyQualifiedErrorId | Should -Be 'InputStoreMismatch,JobSignal.Cmdlets.Commands.UpdateCompanyAggregationCommand'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be $storeB
        $failure.Exception.Message | Should -BeLike "*'$storeB'*'$storeA' (-DatabasePath)*"
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*Leave out -DatabasePath*'
        (Get-IngestionRun -RunId 1).CompaniesAggregated | Should -Be 0
        (Get-FileHash $storeA).Hash | Should -Be $before
        { Get-SignalCompany -DatabasePath $storeB -Top 1 | Get-SignalOffer -DatabasePath $storeA } | Should -Throw -ErrorId 'InputStoreMismatch,*'
        # The same store named another way (relative to the current location) is the same store.
        Push-Location $dir
        try { @(Get-IngestionRun -DatabasePath $storeB -RunId 1 | Update-CompanyAggregation -DatabasePath ./b.db).Count | Should -BeGreaterThan 0 }
        finally { Pop-Location }
    }

    It 'refuses objects of two stores piped together, and a store that is not there, without creating it' {
        $null = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $storeB
        $runB = Get-IngestionRun -DatabasePath $storeB -RunId 1

        { $runA, $runB | Update-CompanyAggregation } | Should -Throw -ErrorId 'InputStoreMismatch,*'
        (Get-IngestionRun -RunId 1).CompaniesAggregated | Should -Be 0
        (Get-IngestionRun -DatabasePath $storeB -RunId 1).CompaniesAggregated | Should -Be 0

        $gone = Join-Path $dir 'moved.db'
        $moved = $runB.PSObject.Copy()
        $moved.StorePath = $gone
        $failure = { $moved | Update-CompanyAggregation } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'InputStoreNotFound,*'
        Test-Path $gone | Should -BeFalse
        # Objects without a store (hand-built, or from before StorePath) keep using -DatabasePath / $env:JOBSIGNAL_DB.
        @([pscustomobject]@{ RunId = 1 } | Update-CompanyAggregation).Name | Should -Be 'Store A Co'
    }

    It 'Sync-CompanySheet syncs the companies of the store they were piped from' {
        $null = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $storeB | Update-CompanyAggregation
        $sheetId = 'pester-' + [guid]::NewGuid().ToString('n')
        $spreadsheet = $google.AddSpreadsheet($sheetId)
        $companies = @(Get-SignalCompany -DatabasePath $storeB -Top 4)

        $result = $companies | Sync-CompanySheet -SpreadsheetId $sheetId -CredentialPath $account.KeyFilePath -BaseUri $google.BaseUri

        $result.Appended | Should -Be 4
        $tab = $spreadsheet.Tab('Companies')
        @($tab.ColumnValues('B', 2)) | Sort-Object | Should -Be ($companies.Name | Sort-Object)
    }
}

Describe 'Dates without a time zone, for a user in Europe/Madrid' -Skip:$IsWindows {
    BeforeAll {
        $script:pwsh = @($env:JOBSIGNAL_TEST_PWSH -split [IO.Path]::PathSeparator)
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'madrid.db'
        # Runs a script in a fresh pwsh whose local time zone is Europe/Madrid (TZ), with the module imported; its
        # output lines "name=value" come back as a hashtable.
        function Invoke-InMadrid([string] $Script) {
            $saved = $env:TZ
            $env:TZ = 'Europe/Madrid'
            try {
                $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$env:JOBSIGNAL_TEST_MODULE'; `$db = '$db'; `$dir = '$dir'`n" +
                    "if ([TimeZoneInfo]::Local.Id -ne 'Europe/Madrid') { throw ""local zone: `$([TimeZoneInfo]::Local.Id)"" }`n" + $Script
                $lines = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $full 2>&1
                $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
            }
            finally { $env:TZ = $saved }
            $values = @{}
            foreach ($line in $lines) { if ("$line" -match '^(\w+)=(.*)$') { $values[$Matches[1]] = $Matches[2] } }
            $values
        }
    }
    AfterAll { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'reads offer dates without a zone as UTC by every route, and -Since typed without a zone as local time' {
        $out = Invoke-InMadrid @'
function Offer($id, $published) {
    [pscustomobject]@{ ProviderOfferId = $id; Url = "https://www.infojobs.net/x/of-i$id"; Title = 'Tesorero'
        Description = 'Pagos internacionales en USD y cobros multidivisa.'; CompanyName = "$id S.L."; PublishedAt = $published }
}
$null = @(
    Offer 'typed' ([datetime]'2026-11-20 10:00')                        # Kind Unspecified, as a cast gives
    Offer 'text' '2026-11-20 10:00'
    Offer 'json' ('{"d":"2026-11-20T10:00:00"}' | ConvertFrom-Json).d   # Kind Unspecified, as ConvertFrom-Json gives
    Offer 'local' ([datetime]::SpecifyKind([datetime]'2026-11-20 10:00', 'Local'))
    Offer 'offset' ([DateTimeOffset]'2026-11-20T10:00+01:00')
) | Invoke-OfferIngestion -DatabasePath $db | Update-CompanyAggregation -DatabasePath $db
foreach ($o in Get-SignalOffer -DatabasePath $db) { "$($o.ProviderOfferId)=$($o.PublishedAt.UtcDateTime.ToString('HH:mm'))" }
"since0930=" + (@(Get-SignalCompany -DatabasePath $db -Since '2026-11-20 10:30' -StrongSince | ForEach-Object Name | Sort-Object) -join ',')
"since1001=" + (@(Get-SignalCompany -DatabasePath $db -Since '2026-11-20 11:01' -StrongSince | ForEach-Object Name | Sort-Object) -join ',')
'@
        $out.typed, $out.text, $out.json | Should -Be @('10:00', '10:00', '10:00') -Because 'offer data without a zone is UTC'
        $out.local, $out.offset | Should -Be @('09:00', '09:00') -Because 'a date that says it is local, or has an offset, is that instant'
        # 10:30 typed in Madrid is 09:30 UTC: the offers published at 10:00 UTC, not those at 09:00 UTC (read as UTC,
        # 10:30 would find none); 11:01 is 10:01 UTC: none.
        $out.since0930 | Should -Be 'json S.L.,text S.L.,typed S.L.'
        $out.since1001 | Should -Be ''
    }

    It 'shows dates without a zone in the views as local dates, the way -Since reads them back' {
        $payload = Join-Path $dir 'late.jsonl'
        '{"id":"late1","title":"Tesorero","link":"https://www.infojobs.net/x/of-ilate1","description":"Pagos en USD.","profile":{"name":"Late S.L."},"creationDate":"2026-11-20T23:30:00.000+0000"}' |
            Set-Content $payload
        $null = Get-InfojobsOffer -Path $payload | Invoke-OfferIngestion -DatabasePath $db
        $null = Invoke-TestSql $db "UPDATE offers SET first_seen_at = '2026-11-20T23:30:00.000Z', last_seen_at = '2026-11-20T23:45:00.000Z' WHERE provider_offer_id = 'late1'"

        $out = Invoke-InMadrid @"
`$table = Get-InfojobsOffer -Path '$payload' | Format-Table | Out-String -Width 200
'listed=' + (`$table -match '2026-11-21')
`$list = Get-SignalOffer -DatabasePath `$db | Where-Object ProviderOfferId -EQ 'late1' | Format-List | Out-String -Width 200
'seen=' + ([regex]::Match(`$list, 'first \S+, last \S+').Value)
"@
        $out.listed | Should -Be 'True' -Because 'published 23:30 UTC on the 20th is the 21st in Madrid'
        $out.seen | Should -Be 'first 2026-11-21, last 2026-11-21'
    }
}
