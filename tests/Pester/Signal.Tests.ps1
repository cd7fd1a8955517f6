BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    $script:samples = Get-RepoPath 'tests/JobSignal.Core.Tests/TestData/infojobs-samples'
    $script:defaultCatalog = Get-RepoPath 'module/catalog/default-catalog.json'
    $script:referenceCatalog = Get-RepoPath 'tests/JobSignal.Core.Tests/TestData/reference-catalog/catalog-v2.0.0.json'

    function Get-GoldenOffer([string] $Name) { Get-Content (Join-Path $samples "$Name.json") -Raw | ConvertFrom-Json }

    # A copy of the default catalog changed by $Change, written to a throw-away file.
    function New-CatalogFile([scriptblock] $Change) {
        $catalog = Get-Content $defaultCatalog -Raw | ConvertFrom-Json
        & $Change $catalog
        $path = Join-Path (New-TestDirectory) 'catalog.json'
        $catalog | ConvertTo-Json -Depth 20 | Set-Content $path
        $path
    }

    # The FullyQualifiedErrorId of the error a script block stops with (-ErrorAction Stop turns every error terminating).
    function Get-StopErrorId([scriptblock] $Script) {
        try { & $Script; return '<no error>' }
        catch { return $_.FullyQualifiedErrorId }
    }
}

Describe 'Measure-OfferSignal' {
    It 'scores golden offer <Name> as <Expected>' -ForEach @(
        @{ Name = 'fx01_strong_usd_signal'; Expected = 10 }
        @{ Name = 'fx02_negation_aws'; Expected = 1 }
        @{ Name = 'fx03_url_only_stripe'; Expected = 0 }
        @{ Name = 'fx04_word_boundary'; Expected = 0 }
        @{ Name = 'fx05_phrase_boost_fx'; Expected = 10 }
    ) {
        $score = Get-GoldenOffer $Name | Measure-OfferSignal
        $score.Score | Should -Be $Expected
        $score.ProviderOfferId | Should -Be $Name
        $score.OfferId | Should -BeNullOrEmpty
        $score.CatalogVersion | Should -Be '2.4.0'
    }

    It 'scores every golden file piped from ConvertFrom-Json, in order' {
        $scores = Get-ChildItem $samples -Filter 'fx0*.json' | Sort-Object Name |
            ForEach-Object { Get-Content $_.FullName -Raw | ConvertFrom-Json } | Measure-OfferSignal
        @($scores.Score) | Should -Be @(10, 1, 0, 0, 10)
        # Core types live in the module's private load context: compare names, PowerShell cannot resolve them.
        $scores[0].GetType().FullName | Should -Be 'JobSignal.Core.Signal.SignalScore'
    }

    It 'explains fx01: buckets, caps, the USD phrase and synergy' {
        $score = Get-GoldenOffer 'fx01_strong_usd_signal' | Measure-OfferSignal
        ($score.Buckets | Where-Object Bucket -EQ 'direct_fx').Capped | Should -Be 4
        ($score.Buckets | Where-Object Bucket -EQ 'intl_footprint').Capped | Should -Be 2.5
        $proxy = $score.Buckets | Where-Object Bucket -EQ 'tech_proxy'
        $proxy.Uncapped | Should -Be 3.5
        $proxy.Capped | Should -Be 1.5
        $score.PhrasePoints | Should -Be 2
        $score.SynergyPoints | Should -Be 1
        $score.Raw | Should -Be 11
        $score.Strong | Should -BeTrue
        $score.Evidence | Should -Match '^USD, International Clients'
        ($score.Categories | Where-Object Id -EQ 'cat_fx_currency_ops').Hit.Evidence | Should -Match 'We invoice in USD'
    }

    It 'lists the negated AWS of fx02 with its cue' {
        $score = Get-GoldenOffer 'fx02_negation_aws' | Measure-OfferSignal
        $score.NegatedHits.Id | Should -Be 'kw_aws'
        $score.NegatedHits[0].NegationCue | Should -Be 'no'
        $score.Hits.Id | Should -Be 'kw_azure'
    }

    It 'accepts -Text, -Title/-Description and plain strings from the pipeline' {
        (Measure-OfferSignal -Text 'Facturación en USD').Score | Should -Be 6
        $fields = Measure-OfferSignal -Title 'Finance Operations Specialist' -Description 'pagos internacionales'
        ($fields.Categories | Where-Object Id -EQ 'cat_biz_finance_ops').Hit.Field | Should -Be 'Title'
        @('sin AWS', 'con AWS' | Measure-OfferSignal).Score | Should -Be @(0, 1)
    }

    It 'reads InfoJobs requirements and hashtables' {
        $payload = [pscustomobject]@{ id = 'ij1'; title = 'Contable'; description = 'Contabilidad general.'; minRequirements = 'Experiencia con pagos internacionales' }
        $score = $payload | Measure-OfferSignal
        $score.Hits[0].Field | Should -Be 'Requirements'
        $score.ProviderOfferId | Should -Be 'ij1'
        (@{ Title = 'SWIFT'; Description = 'transferencias' } | Measure-OfferSignal).Hits.Id | Should -Be 'kw_swift'
    }

    It 'reads piped objects the way Invoke-OfferIngestion does, and scores them as it stores them' {
        $db = Join-Path (New-TestDirectory) 'jobsignal.db'
        $offer = [pscustomobject]@{ id = 'm1'; link = 'https://www.infojobs.net/of-im1'; TITLE = 'Contable'; description = 'Contabilidad general.'
            minRequirements = 'Inglés C1.'; desiredRequirements = 'Experiencia con pagos internacionales en USD'; companyName = 'Acme Pagos S.L.' }

        $measured = $offer | Measure-OfferSignal
        $stored = $offer | Invoke-OfferIngestion -DatabasePath $db -PassThru | Select-Object -First 1

        $measured.ProviderOfferId | Should -Be 'm1'
        $measured.Score | Should -BeGreaterThan 0
        $measured.Score | Should -Be $stored.Score
        @($measured.Hits.Field | Select-Object -Unique) | Should -Be @('Requirements')
        (Get-SignalOffer -DatabasePath $db -OfferId $stored.OfferId).Requirements | Should -Be "Inglés C1.`n`nExperiencia con pagos internacionales en USD"
    }

    It 'reads a text given as an array of lines (Get-Content, a JSON array) as one text, a line each' {
        $db = Join-Path (New-TestDirectory) 'jobsignal.db'
        $file = Join-Path (New-TestDirectory) 'description.txt'
        Set-Content $file -Value 'Pagos internacionales en USD', 'Clientes en LATAM'
        $offer = [pscustomobject]@{ id = 'arr1'; link = 'https://www.infojobs.net/of-iarr1'; title = 'Contable'
            description = Get-Content $file; companyName = 'Array Desc S.L.' }
        $fromJson = '{"id":"arr2","title":"Contable","description":["Pagos internacionales en USD","Clientes en LATAM"],"companyName":"Array Desc S.L."}' | ConvertFrom-Json
        $joined = Measure-OfferSignal -Title 'Contable' -Description "Pagos internacionales en USD`nClientes en LATAM"

        $joined.Score | Should -BeGreaterThan 0
        ($offer | Measure-OfferSignal).Score | Should -Be $joined.Score
        ($fromJson | Measure-OfferSignal).Score | Should -Be $joined.Score
        $stored = $offer | Invoke-OfferIngestion -DatabasePath $db -PassThru | Select-Object -First 1
        $stored.Score | Should -Be $joined.Score
        (Get-SignalOffer -DatabasePath $db -OfferId $stored.OfferId).Description | Should -Be "Pagos internacionales en USD`nClientes en LATAM"
    }

    It 'never scores the company name' {
        $offer = [pscustomobject]@{ title = 'Support Specialist'; description = 'General support role.'; profile = @{ name = 'USD Payments Forex SL' } }
        ($offer | Measure-OfferSignal).Score | Should -Be 0
    }

    It 'does not count the posting company''s own name in the text, and says why, for -CompanyName, piped offers and stored ones' {
        $text = 'En Stripe buscamos ingenieros para cobros en USD.'
        $byStripe = Measure-OfferSignal -Text $text -CompanyName 'Stripe Payments Europe, S.L.'
        $byShop = Measure-OfferSignal -Text $text -CompanyName 'Tienda Ejemplo S.L.'

        $byStripe.ExcludedHits.Id | Should -Be 'kw_stripe'
        $byStripe.ExcludedHits[0].ExclusionReason | Should -Be "part of the company's name 'Stripe Payments Europe, S.L.'"
        $byStripe.Hits.Id | Should -Not -Contain 'kw_stripe'
        $byShop.Hits.Id | Should -Contain 'kw_stripe'
        $byStripe.Raw | Should -BeLessThan $byShop.Raw
        (Measure-OfferSignal -Title 'Ingeniero' -Description $text -CompanyName 'STRIPE').ExcludedHits.Id | Should -Be 'kw_stripe'

        $db = Join-Path (New-TestDirectory) 'jobsignal.db'
        $offer = [pscustomobject]@{ id = 'st1'; link = 'https://www.infojobs.net/of-ist1'; title = 'Ingeniero'; description = $text
            profile = @{ name = 'Stripe Payments Europe, S.L.' } }
        $piped = $offer | Measure-OfferSignal
        $piped.ExcludedHits.Id | Should -Be 'kw_stripe'
        $stored = $offer | Invoke-OfferIngestion -DatabasePath $db -PassThru | Select-Object -First 1
        $stored.Score | Should -Be $piped.Score
        $fromStore = Get-SignalOffer -DatabasePath $db -OfferId $stored.OfferId
        ($fromStore | Measure-OfferSignal).ExcludedHits.Id | Should -Be 'kw_stripe'
        ($fromStore.Explanation | ConvertFrom-Json).excludedHits.exclusionReason | Should -Be "part of the company's name 'Stripe Payments Europe, S.L.'"
    }

    It 'names a measured stored offer by its store OfferId, so that the result pipes on by OfferId' {
        $db = Join-Path (New-TestDirectory) 'jobsignal.db'
        $null = 'p1', 'p2' | ForEach-Object { [pscustomobject]@{ ProviderOfferId = $_; Title = "Tesorero $_"; Url = "https://example.com/o/$_"
            Description = "Pagos internacionales en USD ($_)"; Company = [pscustomobject]@{ Name = "Pipe $_ SL" } } } |
            Invoke-OfferIngestion -DatabasePath $db
        $stored = Get-SignalOffer -DatabasePath $db | Sort-Object OfferId
        $measured = $stored | Measure-OfferSignal

        @($measured.OfferId) | Should -Be @($stored.OfferId)
        $measured[0].OfferId | Should -BeOfType [long]
        @($measured.ProviderOfferId) | Should -Be @('p1', 'p2')
        @($measured | Select-Object -Last 1 | Get-SignalOffer -DatabasePath $db).ProviderOfferId | Should -Be 'p2'
        $run = $measured | Select-Object -First 1 | Update-OfferScore -DatabasePath $db
        $run.Received | Should -Be 1
    }

    It 'masks no name for a hidden profile, whose "name" is the recruiter''s description: piped, ingested, stored and re-scored' {
        $offer = [pscustomobject]@{ id = 'hid1'; link = 'https://www.infojobs.net/of-ihid1'; title = 'Administrativo/a'
            description = 'Buscamos técnico/a de tesorería para pagos internacionales.'
            profile = @{ id = 'h1'; name = 'Empresa líder en pagos internacionales'; hidden = $true } }
        $piped = $offer | Measure-OfferSignal
        $piped.ExcludedHits | Should -BeNullOrEmpty
        $piped.Hits.Id | Should -Contain 'kw_international_payments'

        $db = Join-Path (New-TestDirectory) 'jobsignal.db'
        $stored = $offer | Invoke-OfferIngestion -DatabasePath $db -PassThru | Select-Object -First 1
        $stored.Score | Should -Be $piped.Score
        $fromStore = Get-SignalOffer -DatabasePath $db -OfferId $stored.OfferId
        $fromStore.CompanyHidden | Should -BeTrue
        $measured = $fromStore | Measure-OfferSignal
        $measured.ExcludedHits | Should -BeNullOrEmpty
        $measured.Score | Should -Be $piped.Score
        $null = Update-OfferScore -All -DatabasePath $db
        (Get-SignalOffer -DatabasePath $db -OfferId $stored.OfferId).Score | Should -Be $piped.Score
    }

    It 'scores each item of an array or list given to -InputObject, and an XML element as one offer' {
        $scores = @(Measure-OfferSignal -InputObject @('Pagos en USD', @{ Title = 'SWIFT' }, 'nada'))
        $scores.Count | Should -Be 3
        $scores.Score | Should -Be @((Measure-OfferSignal -Text 'Pagos en USD').Score, (Measure-OfferSignal -Title 'SWIFT').Score, 0)
        $list = [Collections.Generic.List[object]]::new()
        $list.Add('Pagos en USD'); $list.Add('nada')
        @(Measure-OfferSignal -InputObject $list).Count | Should -Be 2

        # An XML element is enumerable (its child nodes), and still one offer, piped or given by name.
        $xml = [xml] '<offers><offer><id>x1</id><title>Tesorero</title><description>Pagos internacionales en USD</description></offer></offers>'
        $piped = @($xml.offers.offer | Measure-OfferSignal -ErrorVariable xmlErrors)
        $named = @(Measure-OfferSignal -InputObject $xml.offers.offer)
        $xmlErrors.Count | Should -Be 0
        $piped.Count | Should -Be 1
        $named.Count | Should -Be 1
        $piped[0].Score | Should -Be (Measure-OfferSignal -Title 'Tesorero' -Description 'Pagos internacionales en USD').Score
    }

    It 'reports OfferTextMissing for an object without text and goes on' {
        $results = @([pscustomobject]@{ Name = 'nothing to score' }, 'USD') | Measure-OfferSignal -ErrorVariable failures -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OfferTextMissing,*'
    }

    It 'scores an object whose only text is its desired requirements (InfoJobs desiredRequirements)' {
        $score = [pscustomobject]@{ DesiredRequirements = 'Pagos internacionales en USD' } | Measure-OfferSignal -ErrorVariable failures -ErrorAction SilentlyContinue
        @($failures).Count | Should -Be 0
        $score.Score | Should -BeGreaterThan 0
    }

    It 'stops with CatalogNotFound for a missing -CatalogPath' {
        $missing = Join-Path (New-TestDirectory) 'missing.json'
        Get-StopErrorId { Measure-OfferSignal -Text 'USD' -CatalogPath $missing -ErrorAction Stop } |
            Should -BeLike 'CatalogNotFound,*'
    }

    It 'stops with CatalogInvalid for an invalid -CatalogPath, before scoring anything' {
        $broken = New-CatalogFile { param($c) $c.categories[0].bucket = 'nowhere' }
        $script:scored = 0
        Get-StopErrorId { 'USD' | Measure-OfferSignal -CatalogPath $broken -ErrorAction Stop | ForEach-Object { $script:scored++ } } |
            Should -BeLike 'CatalogInvalid,*'
        $scored | Should -Be 0
    }

    It 'uses -CatalogPath over $env:JOBSIGNAL_CATALOG over the default' {
        $halfTier1 = New-CatalogFile { param($c) $c.scoring.tierWeights.'1' = 0.5 }
        $missing = Join-Path (New-TestDirectory) 'missing.json'
        try {
            (Measure-OfferSignal -Text 'Azure').Raw | Should -Be 1
            $env:JOBSIGNAL_CATALOG = $halfTier1
            (Measure-OfferSignal -Text 'Azure').Raw | Should -Be 0.5
            $env:JOBSIGNAL_CATALOG = $missing
            (Measure-OfferSignal -Text 'Azure' -CatalogPath $defaultCatalog).Raw | Should -Be 1
            Get-StopErrorId { Measure-OfferSignal -Text 'Azure' -ErrorAction Stop } | Should -BeLike 'CatalogNotFound,*'
        }
        finally { Remove-Item Env:JOBSIGNAL_CATALOG -ErrorAction SilentlyContinue }
    }

    It 'shows a table by default and the explanation as a list view' {
        $score = Get-GoldenOffer 'fx05_phrase_boost_fx' | Measure-OfferSignal
        ($score | Out-String) | Should -Match 'TopCategory'
        # An 80-column console shows the evidence terms too (its fixed columns once took the whole width).
        $narrow = Measure-OfferSignal -Text 'Gestión de pagos internacionales y facturación en USD' | Out-String -Width 80
        $narrow | Should -Match 'Evidence'
        $narrow | Should -Match 'USD, International Payments'
        ($narrow -split "`n" | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 80
        $explanation = $score | Format-List -View Explanation | Out-String
        $explanation | Should -Match 'direct_fx: 8 capped to 7'
        $explanation | Should -Match 'synergy business_model 2.5 >= 1: \+0.8'
    }

    It 'accounts in the explanation for the synergy max, the clamp to maxScore and the no-fxCore guard' {
        $capped = New-CatalogFile { param($c) $c.scoring.synergy.max = 1.2 }
        $score = Measure-OfferSignal -Text 'USD latam tesorería marketplace' -CatalogPath $capped
        $score.SynergyPoints | Should -Be 1.2
        $score.SynergyUncapped | Should -Be 1.8
        $score.Explanation | Should -Match 'synergy 1\.8 capped to 1\.2 \(synergy max 1\.2\): -0\.6'
        $score.Explanation | Should -Match 'raw 1\d(\.\d+)? clamped to maxScore 10'
        $guarded = Measure-OfferSignal -Text 'marketplace latam mercado internacional'
        $guarded.Synergy.Reason | Should -Be @('no fxCore', 'no fxCore')
        $guarded.Explanation | Should -Match 'synergy intl_footprint [\d.]+ >= 1: not applied \(no fxCore\)'
    }

    It 'writes a score to CSV and JSON with its lists as short text' {
        $score = Measure-OfferSignal -Title 'Tesorería' -Description 'Pagos internacionales en USD, sin AWS.'
        $path = Join-Path (New-TestDirectory) 'scores.csv'
        $score | Export-Csv $path
        $row = Import-Csv $path
        foreach ($name in 'Buckets', 'Categories', 'Phrases', 'Synergy', 'Hits', 'NegatedHits', 'ExcludedHits') {
            $row.$name | Should -Not -Match 'System\.|JobSignal\.' -Because "$name is written as its items"
        }
        $row.Hits | Should -Match "kw_treasury 'Tesorería'"
        $row.NegatedHits | Should -Match "kw_aws 'AWS'"
        $row.Categories | Should -Be 'cat_fx_crossborder_payments +4, cat_biz_finance_ops +3.75'
        ($score | ConvertTo-Json -Depth 6 | ConvertFrom-Json).Score | Should -Be $score.Score
    }
}

Describe 'Get-SignalCatalog' {
    It 'returns the module default catalog when nothing is configured' {
        $catalog = Get-SignalCatalog
        $catalog.GetType().FullName | Should -Be 'JobSignal.Core.Catalog.SignalCatalog'
        $catalog.Version | Should -Be '2.4.0'
        $catalog.Keywords.Count | Should -Be 41
        $catalog.Phrases.Count | Should -Be 14
        ($catalog.Categories | Where-Object Id -EQ 'cat_intl_market_presence').Bucket | Should -Be 'intl_footprint'
        $catalog.Scoring.BucketCaps['direct_fx'] | Should -Be 7
    }

    It 'reports the reference catalog (no buckets, no scoring) as CatalogInvalid' {
        Get-StopErrorId { Get-SignalCatalog -Path $referenceCatalog -ErrorAction Stop } | Should -BeLike 'CatalogInvalid,*'
    }

    It 'takes paths from Get-ChildItem' {
        (Get-Item $defaultCatalog | Get-SignalCatalog).SourcePath | Should -Be (Get-Item $defaultCatalog).FullName
    }

    It 'converts to JSON and CSV: tier weights keyed by text, lists as their ids' {
        $catalog = Get-SignalCatalog
        $json = $catalog | ConvertTo-Json -Depth 8 | ConvertFrom-Json
        $json.Scoring.TierWeights.'3' | Should -Be 4
        $json.Scoring.PhraseTierWeights.'1' | Should -Be 0.6
        $json.Keywords.Count | Should -Be 41
        { $catalog | ConvertTo-Json -WarningAction SilentlyContinue } | Should -Not -Throw
        $path = Join-Path (New-TestDirectory) 'catalog.csv'
        $catalog | Export-Csv $path
        $row = Import-Csv $path
        $row.Categories | Should -Match '^cat_fx_currency_ops, '
        $row.Keywords | Should -Match '^kw_usd_currency, '
        $row.Phrases | Should -Not -Match 'System\.'
        $row.Scoring | Should -BeLike 'strong >= 6 of 10, *'
        $row.Negation | Should -Be 'no, sin, not, without (8 before, 2 after)'
        $catalog.Scoring.TierWeights.ToString() | Should -Be '1=1.0, 2=2.5, 3=4.0'
    }
}

Describe 'Test-SignalCatalog' {
    It 'reports every error of a catalog with several, each with its JSON path' {
        $broken = New-CatalogFile {
            param($c)
            $c.categories[0].bucket = 'fx_direct'
            $c.keywords[3].aliases[1] = ''
            $c.keywords[1].id = 'kw_usd_currency'
            $c.phrases[0].tier = 5
        }
        $report = Test-SignalCatalog -Path $broken
        $report.IsValid | Should -BeFalse
        # The EUR phrase counts only beside kw_gbp_currency, an id no keyword has any more.
        @($report.Issues.Path) | Should -Be @('categories[0].bucket', 'keywords[1].id', 'keywords[3].aliases[1]', 'phrases[0].tier', 'phrases[2].onlyWith[1]')
        ($report.Issues | Where-Object Path -EQ 'keywords[3].aliases[1]').Message | Should -Be 'empty alias'
        ($report | Out-String) | Should -Match 'keywords\[1\]\.id: duplicate id'
    }

    It 'returns a valid report for the default catalog' {
        $report = Test-SignalCatalog
        $report.IsValid | Should -BeTrue
        $report.ErrorCount | Should -Be 0
        $report.AliasCount | Should -BeGreaterThan 34
    }

    It 'warns about a category without keywords and stays valid' {
        $path = New-CatalogFile { param($c) $c.categories += [pscustomobject]@{ id = 'cat_empty'; name = 'Empty'; tier = 1; bucket = 'tech_proxy' } }
        $report = Test-SignalCatalog -Path $path
        $report.IsValid | Should -BeTrue
        $report.WarningCount | Should -Be 1
        $report.Issues[0].Severity | Should -Be 'Warning'
        ($report | Out-String) | Should -Match 'categories\[10\]: warning: category .cat_empty. has no keywords'
        Test-SignalCatalog -Path $path -Quiet | Should -BeTrue
        (Get-SignalCatalog -Path $path -WarningAction SilentlyContinue).Categories.Count | Should -Be 11
    }

    It 'shows a usable catalog''s warnings to every command that loads it, and none for a clean catalog' {
        $path = New-CatalogFile { param($c) $c.categories += [pscustomobject]@{ id = 'cat_empty'; name = 'Empty'; tier = 1; bucket = 'tech_proxy' } }
        $expected = 'categories\[10\]: category .cat_empty. has no keywords'

        $catalog = Get-SignalCatalog -Path $path -WarningVariable loaded -WarningAction SilentlyContinue
        @($loaded).Count | Should -Be 1
        "$($loaded[0])" | Should -Match $expected
        "$($loaded[0])" | Should -Match ([regex]::Escape($path))
        @($catalog.Warnings).Count | Should -Be 1
        $catalog.Warnings[0].Path | Should -Be 'categories[10]'

        $null = Measure-OfferSignal -Title 'Dev' -Description 'AWS' -CatalogPath $path -WarningVariable measured -WarningAction SilentlyContinue
        @($measured).Count | Should -Be 1
        "$($measured[0])" | Should -Match $expected

        $db = Join-Path (New-TestDirectory) 'warn.db'
        $null = [pscustomobject]@{ ProviderOfferId = 'w1'; Title = 'Dev'; Description = 'AWS Stripe'; Url = 'https://example.com/o/w1'
            Company = [pscustomobject]@{ Name = 'Warn SL' } } |
            Invoke-OfferIngestion -DatabasePath $db -CatalogPath $path -WarningVariable ingested -WarningAction SilentlyContinue
        @($ingested | Where-Object { "$_" -match $expected }).Count | Should -Be 1

        # A query that only checks -Category against the catalog reads it without warnings.
        $null = Get-SignalCompany -DatabasePath $db -Category 'cat_empty' -CatalogPath $path -WarningVariable queried -WarningAction SilentlyContinue
        @($queried).Count | Should -Be 0

        $null = Get-SignalCatalog -WarningVariable clean -WarningAction SilentlyContinue
        @($clean).Count | Should -Be 0
    }

    It 'refuses a maxScore above 10, so that re-scoring stops before it drops any stored match' {
        # The store keeps scores of 0-10: with maxScore 20 every match above 10 failed to store, and re-scoring left
        # the offers that had one without any.
        $max20 = New-CatalogFile { param($c) $c.scoring.maxScore = 20 }
        $report = Test-SignalCatalog -Path $max20
        $report.IsValid | Should -BeFalse
        "$($report.Issues)" | Should -Be 'scoring.maxScore: maxScore 20 outside 1-10 (the store keeps scores of 0-10)'

        $db = Join-Path (New-TestDirectory) 'max.db'
        $null = [pscustomobject]@{ ProviderOfferId = 'm20'; Title = 'Tesorero'; Description = 'Pagos internacionales en USD y GBP, clientes en LATAM, marketplace'
            Url = 'https://example.com/o/m20'; Company = [pscustomobject]@{ Name = 'Max SL' } } | Invoke-OfferIngestion -DatabasePath $db
        (Get-SignalOffer -DatabasePath $db).Score | Should -Be 10
        Get-StopErrorId { Update-OfferScore -All -DatabasePath $db -CatalogPath $max20 -ErrorAction Stop } | Should -BeLike 'CatalogInvalid,*'
        (Get-SignalOffer -DatabasePath $db).Score | Should -Be 10
    }

    It 'returns only a boolean with -Quiet' {
        Test-SignalCatalog -Path $defaultCatalog -Quiet | Should -BeTrue
        Test-SignalCatalog -Path $referenceCatalog -Quiet | Should -BeFalse
        Test-SignalCatalog -Path (Join-Path (New-TestDirectory) 'missing.json') -Quiet | Should -BeFalse
    }

    It 'names the line and position of invalid JSON' {
        $path = Join-Path (New-TestDirectory) 'bad.json'
        Set-Content $path "{`n  `"version`": `"1`",`n  `"categories`": [ oops ]`n}"
        (Test-SignalCatalog -Path $path).Issues[0].Message | Should -Match 'line 3, position'
    }

    It 'writes CatalogNotFound for a missing file, with an action naming -Path' {
        $failure = { Test-SignalCatalog -Path (Join-Path (New-TestDirectory) 'missing.json') -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'CatalogNotFound,*'
        $failure.ErrorDetails.RecommendedAction | Should -BeLike 'Check -Path:*'
        $failure = { Get-SignalCatalog -Path (Join-Path (New-TestDirectory) 'missing.json') -ErrorAction Stop } | Should -Throw -PassThru
        $failure.ErrorDetails.RecommendedAction | Should -BeLike 'Check -Path:*'
        $failure = { Measure-OfferSignal -Text USD -CatalogPath (Join-Path (New-TestDirectory) 'missing.json') } | Should -Throw -PassThru
        $failure.ErrorDetails.RecommendedAction | Should -BeLike 'Check -CatalogPath:*'
    }

    It 'refuses a path of another provider or a missing drive with PathNotFileSystem, like every file parameter' {
        foreach ($path in 'Env:PATH', 'function:prompt', 'Q:/x.json') {
            foreach ($run in { Test-SignalCatalog -Path $path -ErrorAction Stop }, { Get-SignalCatalog -Path $path -ErrorAction Stop },
                { Measure-OfferSignal -Text USD -CatalogPath $path }) {
                $failure = $run | Should -Throw -PassThru
                $failure.FullyQualifiedErrorId | Should -BeLike 'PathNotFileSystem,*'
                $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $failure.TargetObject | Should -Be $path
            }
        }
        Test-SignalCatalog -Path 'Env:PATH' -Quiet | Should -BeFalse
    }
}
