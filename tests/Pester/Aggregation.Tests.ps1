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
