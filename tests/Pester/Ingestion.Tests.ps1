BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    Add-Type -Path $env:JOBSIGNAL_TEST_FAKES
    $script:moduleBase = (Get-Module JobSignal).ModuleBase
    $script:sample = Join-Path $moduleBase 'module/samples/infojobs-sample.jsonl'
    $script:defaultCatalog = Join-Path $moduleBase 'module/catalog/default-catalog.json'
    $script:catalogVersion = (Get-Content $defaultCatalog -Raw | ConvertFrom-Json).version

    function Use-Store([string] $Path, [scriptblock] $Script) {
        $null = Get-IngestionRun -DatabasePath $Path -WarningAction SilentlyContinue
        $store = (Get-PrivateType 'JobSignal.Core' 'JobSignal.Core.Store.SignalStore')::Open($Path, $null)
        try { & $Script $store } finally { $store.Dispose() }
    }

    # A flat hand-built offer (the shape ConvertFrom-Json gives for saved offers); -Text makes it distinct or alike.
    function New-TestOffer([string] $Id, [string] $Company = 'Acme Pagos S.L.', [string] $Title = "Puesto $Id",
        [string] $Text = "Vacante $Id con tareas propias tarea${Id}a tarea${Id}b tarea${Id}c tarea${Id}d tarea${Id}e.", [string] $Website) {
        $offer = [ordered]@{
            ProviderOfferId = $Id
            Url             = "https://www.infojobs.net/madrid/puesto/of-i$Id"
            Title           = $Title
            Description     = $Text
            CompanyName     = $Company
            PublishedAt     = '2025-05-01T10:00:00.000+0000'
        }
        if ($Website) { $offer.CompanyWebsite = $Website }
        [pscustomobject] $offer
    }

    $script:StrongText = 'Tesorería y pagos internacionales en USD y GBP, cobros SWIFT y coberturas de divisa con clientes en Latinoamérica.'

    # Every field of a finished run record, as stored: status, timestamps, every counter, catalog version.
    function Assert-RunRecord($Run, [string] $Db, [string] $Status = 'success', [int] $Received, [int] $Inserted = 0,
        [int] $Updated = 0, [int] $Reposts = 0, [int] $NoIdentity = 0, [int] $Invalid = 0, [int] $Resolved = 0,
        [int] $FailedDb = 0, [int] $MatchFailed = 0, [int] $Scored = -1, [int] $Aggregated = 0, [int] $CompaniesFailed = 0,
        [string] $Kind = 'ingestion', [string] $Error, [string] $CatalogVersion = $catalogVersion) {
        $stored = Get-IngestionRun -DatabasePath $Db -RunId $Run.RunId
        $stored.Kind | Should -Be $Kind
        $stored.Status | Should -Be $Status
        "$($stored.CatalogVersion)" | Should -Be "$CatalogVersion"
        $stored.StartedAt | Should -BeOfType [DateTimeOffset]
        $stored.FinishedAt | Should -BeGreaterOrEqual $stored.StartedAt
        ([DateTimeOffset]::UtcNow - $stored.StartedAt).TotalMinutes | Should -BeLessThan 30
        if ($Error) { $stored.ErrorMessage | Should -BeLike "*$Error*" } else { $stored.ErrorMessage | Should -BeNullOrEmpty }
        $counters = $stored.Received, $stored.Inserted, $stored.Updated, $stored.Reposts, $stored.SkippedNoIdentity,
            $stored.SkippedInvalid, $stored.SkippedResolved, $stored.FailedDb, $stored.MatchFailed
        $counters | Should -Be @($Received, $Inserted, $Updated, $Reposts, $NoIdentity, $Invalid, $Resolved, $FailedDb, $MatchFailed)
        $stored.Scored | Should -Be $(if ($Scored -lt 0) { $Inserted } else { $Scored })
        $stored.CompaniesAggregated, $stored.CompaniesFailed | Should -Be @($Aggregated, $CompaniesFailed)
        $stored
    }

    # Messages of a stream another thread is still writing to, read by index (no enumerator over a live collection).
    function Get-StreamMessages($Stream) {
        @(for ($i = 0; $i -lt $Stream.Count; $i++) { $Stream[$i].Message })
    }

    function Get-ErrorIds($Records) { @($Records | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) }

    # The files of a store whose writer was killed: copied (to a new folder) while a connection still has the pages
    # that $Sql committed in the -wal file. Returns the copy's path.
    function Copy-CrashedStore([string] $Path, [string] $Sql) {
        $crashed = Join-Path (New-TestDirectory) 'crashed.db'
        $writer = (Get-PrivateType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$Path;Pooling=False")
        try {
            $writer.Open()
            $command = $writer.CreateCommand()
            $command.CommandText = "PRAGMA wal_autocheckpoint = 0; $Sql"
            $null = $command.ExecuteNonQuery()
            foreach ($suffix in '', '-wal', '-shm') { Copy-Item "$Path$suffix" "$crashed$suffix" }
        }
        finally { $writer.Dispose() }
        $crashed
    }

    function Wait-Until([scriptblock] $Condition, [string] $What) {
        # A bounded wait for something another thread or process does; not a speed assertion.
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out waiting until $What." }
            Start-Sleep -Milliseconds 50
        }
    }

    # An endless, slow source of distinct offers, as a script for another runspace or process.
    $script:EndlessSource = {
        param($Module, $Db)
        Import-Module $Module
        & {
            for ($i = 1; ; $i++) {
                [pscustomobject]@{
                    ProviderOfferId = "slow-$i"; Url = "https://www.infojobs.net/x/of-islow$i"; Title = "Puesto $i"
                    Description = "Vacante $i tarea${i}a tarea${i}b tarea${i}c"; CompanyName = "Empresa $i"
                }
                Start-Sleep -Milliseconds 40
            }
        } | Invoke-OfferIngestion -DatabasePath $Db -ChunkSize 3
    }
}

Describe 'Invoke-OfferIngestion' {
    BeforeEach {
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'jobsignal.db'
    }
    AfterEach { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'composes with aggregation over the replayed sample, and every counter of the run adds up' {
        $offers = @(Get-InfojobsOffer -Path $sample)
        # What the counters must say, worked out from the offers themselves.
        $invalid = @($offers | Where-Object {
                -not $_.ProviderOfferId -or -not $_.Title -or -not $_.Title.Trim() -or $_.Url -notmatch '^https?://[^/]' }).Count
        $noIdentity = @($offers | Where-Object { $_.Title -and $_.Url -match '^https?://[^/]' -and (-not $_.Company -or
                (-not $_.Company.ProviderCompanyId -and -not $_.Company.Website -and ($_.Company.Hidden -or -not $_.Company.Name))) }).Count

        $top = $offers | Invoke-OfferIngestion -DatabasePath $db | Update-CompanyAggregation -DatabasePath $db |
            Sort-Object MaxScore -Descending | Select-Object -First 20

        $top.Count | Should -Be 20
        $top[0].PSObject.TypeNames | Should -Contain 'JobSignal.Company'
        $scores = @($top.MaxScore)
        $scores | Should -Be @($scores | Sort-Object -Descending)
        $run = Get-IngestionRun -DatabasePath $db -Last 1
        $invalid | Should -BeGreaterThan 0
        $noIdentity | Should -BeGreaterThan 0
        $run.Reposts | Should -BeGreaterThan 0
        $stored = Assert-RunRecord $run $db -Received $offers.Count -Inserted ($offers.Count - $invalid - $noIdentity - $run.Reposts) `
            -Reposts $run.Reposts -Invalid $invalid -NoIdentity $noIdentity -Aggregated $run.AffectedCompanyIds.Count
        $stored.Provider | Should -Be 'infojobs'
        [int] (Invoke-TestSql $db 'SELECT count(*) FROM offers') | Should -Be $stored.Inserted
        [int] (Invoke-TestSql $db 'SELECT sum(repost_count) FROM offers') | Should -Be $stored.Reposts
        [int] (Invoke-TestSql $db 'SELECT count(DISTINCT company_id) FROM offers') | Should -Be $stored.AffectedCompanyIds.Count
    }

    It 'ingests the same offers again as updates: same rows, no inserts, nothing re-scored' {
        $offers = @(Get-InfojobsOffer -Path $sample)
        $first = $offers | Invoke-OfferIngestion -DatabasePath $db
        $rows = Invoke-TestSql $db "SELECT group_concat(id || ':' || company_id || ':' || repost_count, ',') FROM offers"

        $second = $offers | Invoke-OfferIngestion -DatabasePath $db

        $skipped = $first.SkippedInvalid + $first.SkippedNoIdentity
        Assert-RunRecord $second $db -Received $offers.Count -Updated ($offers.Count - $skipped) -Invalid $first.SkippedInvalid `
            -NoIdentity $first.SkippedNoIdentity -Scored 0 | Out-Null
        Invoke-TestSql $db "SELECT group_concat(id || ':' || company_id || ':' || repost_count, ',') FROM offers" | Should -Be $rows
        $second.AffectedCompanyIds | Should -Be $first.AffectedCompanyIds
    }

    It 'keeps the stored text, dates and score when a known offer comes back from an object that lacks them' {
        $full = [pscustomobject]@{ ProviderOfferId = 'k1'; Url = 'https://www.infojobs.net/x/of-ik1'; Title = 'Tesorero'
            Description = $StrongText; Requirements = 'Inglés alto.'; CompanyName = 'Upd Co'; Website = 'https://upd.es'
            PublishedAt = '2026-11-20T10:00:00Z'; UpdatedAt = '2026-11-20T10:00:00Z'; Province = 'Madrid' }
        $full | Invoke-OfferIngestion -DatabasePath $db | Update-CompanyAggregation -DatabasePath $db | Out-Null
        $before = Get-SignalOffer -DatabasePath $db
        $before.Score | Should -BeGreaterOrEqual 6

        # A trimmed Select-Object: no Description, Requirements, PublishedAt or Province; a blank Province is no value either.
        $trimmed = $full | Select-Object ProviderOfferId, Url, Title, CompanyName, Website, UpdatedAt
        $result = @($trimmed | Invoke-OfferIngestion -DatabasePath $db -PassThru)[0]
        $retitled = $full | Select-Object ProviderOfferId, Url, CompanyName, Website, @{ n = 'Title'; e = { 'Tesorero senior' } },
            @{ n = 'UpdatedAt'; e = { '2026-11-22T10:00:00Z' } }, @{ n = 'Province'; e = { ' ' } }
        $run = $retitled | Invoke-OfferIngestion -DatabasePath $db | Update-CompanyAggregation -DatabasePath $db

        $result.Outcome, $result.Reason | Should -Be @('Updated', 'Known offer, unchanged: last seen updated.')
        $after = Get-SignalOffer -DatabasePath $db
        $after.Title | Should -Be 'Tesorero senior'
        $after.Description, $after.Requirements, $after.PublishedAt, $after.Province |
            Should -Be @($before.Description, $before.Requirements, $before.PublishedAt, 'Madrid')
        $after.UpdatedAt | Should -Be ([DateTimeOffset] '2026-11-22T10:00:00Z')
        # Re-scored with the text stored: what measuring that text gives.
        $after.Score | Should -Be (Measure-OfferSignal -Title $after.Title -Description $after.Description -Requirements $after.Requirements).Score
        $after.Score | Should -BeGreaterOrEqual 6
        $run.MaxScore | Should -Be $after.Score
        $run.StrongOffers | Should -Be 1
    }

    It 'keeps the newer stored version when an older one is replayed (a backfill): it only counts as seen' {
        $newer = New-TestOffer 'k1' -Title 'Tesorero' -Text $StrongText
        $newer | Add-Member UpdatedAt '2026-11-25T10:00:00Z'
        $older = New-TestOffer 'k1' -Title 'Administrativo' -Text 'Archivo y atención telefónica.'
        $older | Add-Member UpdatedAt '2026-11-21T10:00:00Z'
        $newer | Invoke-OfferIngestion -DatabasePath $db | Out-Null
        $before = Get-SignalOffer -DatabasePath $db

        $output = @($older | Invoke-OfferIngestion -DatabasePath $db -PassThru)

        $output[0].Outcome | Should -Be 'Updated'
        $output[0].Reason | Should -BeLike 'Known offer, older version (provider update 2026-11-21T10:00:00.000Z, stored 2026-11-25T10:00:00.000Z): the newer stored version is kept*'
        $after = Get-SignalOffer -DatabasePath $db
        $after.Title, $after.Description, $after.UpdatedAt, $after.Score | Should -Be @($before.Title, $before.Description, $before.UpdatedAt, $before.Score)
        $after.LastSeenAt | Should -BeGreaterOrEqual $before.LastSeenAt
        Assert-RunRecord $output[1] $db -Received 1 -Updated 1 -Scored 0 | Out-Null
    }

    It 'refuses strings (lines of a file read with Get-Content) with one clear error, and a run of nothing else fails' {
        $lines = @(Get-Content $sample -TotalCount 3)

        $output = @($lines | Invoke-OfferIngestion -DatabasePath $db -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue `
                -WarningVariable warnings -WarningAction SilentlyContinue)

        $errors.Count | Should -Be 1
        Get-ErrorIds $errors | Should -Be 'OfferInputIsText'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidType'
        $errors[0].TargetObject | Should -Be $lines[0]
        $errors[0].Exception.Message | Should -BeLike 'Input 1 is a string, not an offer: ''{"id":*'
        $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*ConvertFrom-Json*Get-InfojobsOffer -Path*'
        $output[0..2].Outcome | Should -Be (@('SkippedInvalid') * 3)
        $output[0..2].Reason | ForEach-Object { $_ | Should -BeLike 'The input is a string, not an offer*ConvertFrom-Json*' }
        @($warnings.Message) | Should -Be @('3 of the 3 inputs were strings, not offers, and were skipped (skipped_invalid); see the OfferInputIsText error.')
        Assert-RunRecord $output[3] $db -Status failed -Received 3 -Invalid 3 -Error 'Every input (3) was a string, not an offer: nothing was ingested.' | Out-Null

        # A stray string among offers (a status line a script wrote to the pipeline) is an error; the run goes on.
        $mixed = @('Processing...'; New-TestOffer '1') | Invoke-OfferIngestion -DatabasePath $db -ErrorVariable mixedErrors -ErrorAction SilentlyContinue
        Get-ErrorIds $mixedErrors | Should -Be 'OfferInputIsText'
        Assert-RunRecord $mixed $db -Received 2 -Inserted 1 -Invalid 1 | Out-Null
    }

    It 'names skipped offers without -PassThru: a warning for each of the first ten, then one summary, and no error' {
        $offers = @(Get-InfojobsOffer -Path $sample)
        $run = $offers | Invoke-OfferIngestion -DatabasePath $db -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors
        $skipped = $run.SkippedInvalid + $run.SkippedNoIdentity
        $skipped | Should -BeGreaterThan 0
        $skipped | Should -BeLessOrEqual 10
        @($warnings).Count | Should -Be $skipped
        $errors.Count | Should -Be 0
        $run.Status | Should -Be 'success'
        $untitled = $offers | Where-Object { -not $_.Title } | Select-Object -First 1
        $warnings.Message | Should -Contain ("Offer $($untitled.ProviderOfferId) (input $([array]::IndexOf($offers, $untitled) + 1)) was skipped: Title is missing or blank.")

        # A bad feed: ten named, the rest summed up in one warning; every one still listed with -Verbose.
        $bad = 1..13 | ForEach-Object { New-TestOffer "bad$_" -Title ' ' }
        $badRun = $bad | Invoke-OfferIngestion -DatabasePath $db -WarningVariable badWarnings -WarningAction SilentlyContinue -Verbose 4>&1 |
            Tee-Object -Variable everything | Where-Object { $_.PSObject.TypeNames -contains 'JobSignal.IngestionRun' }
        @($badWarnings).Count | Should -Be 11
        $badWarnings[0].Message | Should -Be 'Offer bad1 (input 1) was skipped: Title is missing or blank.'
        $badWarnings[10].Message | Should -BeLike '3 more offer(s) were skipped and not named above (3 invalid, 0 without company identity). Invoke-OfferIngestion -PassThru*'
        @($everything | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Offer bad13 *was skipped*' }).Count | Should -Be 1
        $badRun.Status | Should -Be 'success'
    }

    It 'skips an offer whose text field holds an object, a hashtable, a list of objects or a boolean, naming the field and the type' {
        function New-Typed([hashtable] $Fields) {
            $offer = @{ Url = 'https://www.infojobs.net/x/of-i1'; Title = 'Tesorero'; CompanyName = 'Tipos S.L.' }
            foreach ($key in $Fields.Keys) { $offer[$key] = $Fields[$key] }
            [pscustomobject] $offer
        }
        $inputs = @(
            New-Typed @{ ProviderOfferId = 't1'; Description = [pscustomobject]@{ text = 'Pagos en USD'; lang = 'es' } }
            New-Typed @{ ProviderOfferId = 't2'; Description = $true }
            New-Typed @{ ProviderOfferId = 't3'; Requirements = @{ min = 'USD' } }
            New-Typed @{ ProviderOfferId = 't4'; Title = @('Tesorero', @{ a = 1 }) }
            New-Typed @{ ProviderOfferId = 't5'; Applications = $true }
            New-Typed @{ ProviderOfferId = 't6'; Company = $true; CompanyName = $null }
            # Numbers are text where InfoJobs sends them either way (ids, amounts); a list of lines is one text.
            New-Typed @{ ProviderOfferId = 12345; SalaryMin = 30000; Description = @('Pagos en USD.', 'Cobros SWIFT.') }
        )

        $results = @($inputs | Invoke-OfferIngestion -DatabasePath $db -PassThru -WarningAction SilentlyContinue)

        $results[0..6].Outcome | Should -Be (@('SkippedInvalid') * 6 + 'Inserted')
        $results[0].Reason | Should -Be 'Description is an object (properties text, lang), not text.'
        $results[1].Reason | Should -Be 'Description is a boolean (True), not text.'
        $results[2].Reason | Should -Be 'Requirements is a hashtable (keys min), not text.'
        $results[3].Reason | Should -Be 'Title is a list holding a hashtable (keys a), not text.'
        $results[4].Reason | Should -Be 'Applications is a boolean (True), not a whole number.'
        $results[5].Reason | Should -Be 'Company is a boolean (True), not a company object or name.'
        $stored = Get-SignalOffer -DatabasePath $db
        $stored.ProviderOfferId, $stored.SalaryMin, $stored.Description | Should -Be @('12345', '30000', "Pagos en USD.`nCobros SWIFT.")
        Invoke-TestSql $db "SELECT count(*) FROM offers WHERE description LIKE '%@{%' OR description = 'True'" | Should -Be 0

        # Measuring such an object says why instead of scoring what PowerShell would render.
        $measured = @($inputs[0] | Measure-OfferSignal -ErrorVariable measureErrors -ErrorAction SilentlyContinue)
        $measured.Count | Should -Be 0
        Get-ErrorIds $measureErrors | Should -Be 'OfferTextUnreadable'
        $measureErrors[0].Exception.Message | Should -BeLike '*Description is an object (properties text, lang), not text.*'
    }

    It 'takes an array given to -InputObject as its offers, as the pipeline would send them' {
        $offers = @(Get-InfojobsOffer -Path $sample | Select-Object -First 5)

        $results = @(Invoke-OfferIngestion -InputObject $offers -DatabasePath $db -PassThru)

        $results[0..4].Outcome | Should -Be (@('Inserted') * 5)
        $results[0..4].ProviderOfferId | Should -Be $offers.ProviderOfferId
        Assert-RunRecord $results[-1] $db -Received 5 -Inserted 5 | Out-Null
        @(Get-SignalOffer -DatabasePath $db).Count | Should -Be 5
    }

    It 'reads hand-built objects, hashtables and ConvertFrom-Json output, nested or flat companies' {
        $json = @(
            @{ ProviderOfferId = 'j1'; Url = 'https://www.infojobs.net/of-ij1'; Title = 'Tesorero'; Description = $StrongText
                Company = @{ Id = 'ij-acme'; Name = 'Acme Pagos'; Website = 'https://www.acmepagos.es' }; PublishedAt = '2025-05-02T08:00:00Z' }
        ) | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $hashtable = @{ providerofferid = 'h1'; url = 'https://www.infojobs.net/of-ih1'; title = 'Contable'; description = 'Vacante h1 tareas varias'
            companyname = 'ACME PAGOS, S.L.'; applications = '12' }
        $flat = New-TestOffer 'f1' -Company 'Otra Marca' -Website 'acmepagos.es'
        $badDate = New-TestOffer 'b1' -Company 'Beta'
        $badDate.PublishedAt = 'el martes'

        $results = @(@($json) + $hashtable + $flat + $badDate | Invoke-OfferIngestion -DatabasePath $db -PassThru)

        $run = $results[-1]
        $results[0..3].Outcome | Should -Be @('Inserted', 'Inserted', 'Inserted', 'SkippedInvalid')
        $results[3].Reason | Should -BeLike "*PublishedAt 'el martes' is not a date*"
        @($results[0..2].CompanyId | Select-Object -Unique).Count | Should -Be 1
        Assert-RunRecord $run $db -Received 4 -Inserted 3 -Invalid 1 | Out-Null
        $stored = Get-SignalOffer -DatabasePath $db -OfferId $results[0].OfferId
        $stored.PublishedAt | Should -Be ([DateTimeOffset]::new(2025, 5, 2, 8, 0, 0, [TimeSpan]::Zero))
        (Get-SignalOffer -DatabasePath $db -OfferId $results[1].OfferId).Applications | Should -Be 12
        $company = Get-SignalCompany -DatabasePath $db -CompanyId $results[0].CompanyId
        $company.Domain | Should -Be 'acmepagos.es'
    }

    It 'reads raw InfoJobs payloads from ConvertFrom-Json (profile or author as the company) exactly as Get-InfojobsOffer reads them' {
        $replayDb = Join-Path $dir 'replay.db'
        $columns = 'ProviderOfferId', 'CompanyName', 'Url', 'Title', 'Description', 'Requirements', 'Province', 'City', 'Country',
            'Category', 'Subcategory', 'ContractType', 'WorkDay', 'Experience', 'SalaryMin', 'SalaryMax', 'SalaryPeriod',
            'PublishedAt', 'UpdatedAt', 'Applications', 'RepostCount', 'Score', 'Explanation'

        $piped = Get-Content $sample | ConvertFrom-Json | Invoke-OfferIngestion -DatabasePath $db
        $replayed = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $replayDb

        $piped.Inserted | Should -BeGreaterThan 100
        $piped.SkippedNoIdentity | Should -BeLessThan 5
        $piped | Select-Object Received, Inserted, Reposts, SkippedNoIdentity, SkippedInvalid, Scored | ConvertTo-Json |
            Should -Be ($replayed | Select-Object Received, Inserted, Reposts, SkippedNoIdentity, SkippedInvalid, Scored | ConvertTo-Json)
        Get-SignalOffer -DatabasePath $db | Select-Object $columns | ConvertTo-Json -Depth 2 |
            Should -Be (Get-SignalOffer -DatabasePath $replayDb | Select-Object $columns | ConvertTo-Json -Depth 2)
        Get-SignalCompany -DatabasePath $db | Select-Object Name, Domain | ConvertTo-Json |
            Should -Be (Get-SignalCompany -DatabasePath $replayDb | Select-Object Name, Domain | ConvertTo-Json)

        # A payload built by hand in PowerShell's casing reads the same.
        $first = Get-Content $sample -TotalCount 1 | ConvertFrom-Json
        $capitalized = [pscustomobject]@{ Id = 'cap1'; Title = $first.title; Link = 'https://www.infojobs.net/of-icap1'
            Description = $first.description; MinRequirements = $first.minRequirements; Profile = @{ Id = 'p-cap'; Name = 'Capital Pagos S.L.' } }
        $capResult = @($capitalized | Invoke-OfferIngestion -DatabasePath $db -PassThru)[0]
        $capStored = Get-SignalOffer -DatabasePath $db -OfferId $capResult.OfferId
        ($capStored.CompanyName, $capStored.Requirements) | Should -Be @('Capital Pagos S.L.', $first.minRequirements)
        # An offer of the module's shape keeps being read as one, even with an Author of its own.
        $authored = [pscustomobject]@{ ProviderOfferId = 'au2'; Url = 'https://www.infojobs.net/of-iau2'; Title = 'Tesorero'
            Description = 'Pagos internacionales en USD'; CompanyName = 'Autora S.L.'; Author = [pscustomobject]@{ Name = 'Ana' } }
        $authoredScore = ($authored | Measure-OfferSignal).Score
        $authoredScore | Should -Be (Measure-OfferSignal -Title 'Tesorero' -Description 'Pagos internacionales en USD').Score
        $authoredScore | Should -BeGreaterThan 0
        $withoutCompany = [pscustomobject]@{ ProviderOfferId = 'au3'; Url = 'https://www.infojobs.net/of-iau3'; Title = 'Tesorero'
            Description = 'Pagos internacionales en USD'; Author = [pscustomobject]@{ Name = 'Ana' } }
        ($withoutCompany | Measure-OfferSignal).Score | Should -Be $authoredScore

        # A search-list item names its company "author"; an object that also has a Company of its own is read as this shape.
        $listItem = '{"id":"li1","title":"Tesorero","link":"https://www.infojobs.net/of-ili1","author":{"id":"au1","name":"Autor Pagos S.L.","uri":"https://www.infojobs.net/autor-pagos/em-iau1"},"city":"Madrid"}' | ConvertFrom-Json
        $own = [pscustomobject]@{ id = 'own1'; link = 'https://www.infojobs.net/of-iown1'; title = 'Tesorero'; description = 'Pagos en USD'; company = 'Propia S.L.'; profile = @{ name = 'Otra S.L.' } }
        $results = @($listItem, $own | Invoke-OfferIngestion -DatabasePath $db -PassThru)
        $results[0, 1].Outcome | Should -Be @('Inserted', 'Inserted')
        (Get-SignalOffer -DatabasePath $db -OfferId $results[0].OfferId).CompanyName | Should -Be 'Autor Pagos S.L.'
        (Get-SignalOffer -DatabasePath $db -OfferId $results[1].OfferId).CompanyName | Should -Be 'Propia S.L.'
    }

    It 'writes one result per offer with -PassThru, then the run object' {
        $output = @(New-TestOffer '1'; New-TestOffer '1'; New-TestOffer '2' -Company ' ') |
            Invoke-OfferIngestion -DatabasePath $db -PassThru -ChunkSize 2
        $output.Count | Should -Be 4
        $output[0..2].ForEach({ $_.PSObject.TypeNames[0] }) | Should -Be (@('JobSignal.OfferIngestionResult') * 3)
        $output[0..2].Outcome | Should -Be @('Inserted', 'Updated', 'SkippedNoIdentity')
        $output[1].OfferId | Should -Be $output[0].OfferId
        $output[3].PSObject.TypeNames[0] | Should -Be 'JobSignal.IngestionRun'
        Assert-RunRecord $output[3] $db -Received 3 -Inserted 1 -Updated 1 -NoIdentity 1 | Out-Null
    }

    It 'takes JobSignal.Offer objects as they are, not re-read from their properties' {
        $offers = @(Get-InfojobsOffer -Path $sample | Select-Object -First 5)
        $title = $offers[0].Title
        # A note property on the wrapper would win if the offer were read property by property.
        $offers[0] | Add-Member -NotePropertyName Title -NotePropertyValue 'Otro título' -Force

        $results = @($offers | Invoke-OfferIngestion -DatabasePath $db -PassThru)

        foreach ($i in 0..4) { [object]::ReferenceEquals($results[$i].Offer, $offers[$i].PSObject.BaseObject) | Should -BeTrue }
        $results[0].Title | Should -Be $title
    }

    It 'reads Requirements, else MinRequirements and DesiredRequirements as two paragraphs, and stored offers piped back' {
        $offers = @(
            [pscustomobject]@{ id = 'r1'; link = 'https://www.infojobs.net/of-ir1'; title = 'Tesorero'; description = 'Vacante r1'
                minRequirements = 'Inglés C1.'; desiredRequirements = 'Se valorará SWIFT.'; companyName = 'Acme Pagos S.L.' }
            @{ ProviderOfferId = 'r2'; Url = 'https://www.infojobs.net/of-ir2'; Title = 'Contable'; Requirements = 'Excel.'
                MinRequirements = 'No se lee.'; CompanyName = 'Acme Pagos S.L.'; CompanyHidden = 'false' }
        )
        $first = @($offers | Invoke-OfferIngestion -DatabasePath $db -PassThru)
        $stored = @(Get-SignalOffer -DatabasePath $db | Sort-Object ProviderOfferId)
        $stored.Requirements | Should -Be @("Inglés C1.`n`nSe valorará SWIFT.", 'Excel.')

        # A StoredOffer is a typed object of another shape: its CompanyId is the store's, never a provider identity.
        $again = @($stored | Invoke-OfferIngestion -DatabasePath $db -PassThru)

        $first[0..1].Outcome | Should -Be @('Inserted', 'Inserted')
        $again[0..1].Outcome | Should -Be @('Updated', 'Updated')
        $again[0..1].OfferId | Should -Be $stored.OfferId
        @($again[0..1].CompanyId | Select-Object -Unique) | Should -Be @($first[0].CompanyId)
        @(Get-SignalCompany -DatabasePath $db).Count | Should -Be 1
    }

    It 'reports progress at most every 200 ms, always ending with the final counts and the completed record' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $Db)
                    Import-Module $Module
                    1..300 | ForEach-Object { [pscustomobject]@{ ProviderOfferId = "p$_"; Url = "https://www.infojobs.net/of-ip$_"; Title = "Puesto $_"; CompanyName = "Empresa $_" } } |
                        Invoke-OfferIngestion -DatabasePath $Db -ChunkSize 1
                }).AddArgument($env:JOBSIGNAL_TEST_MODULE).AddArgument($db)
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $run = $ps.Invoke()[0]
            $watch.Stop()
            $progress = @($ps.Streams.Progress | Where-Object ActivityId -EQ 41)
        }
        finally { $ps.Dispose() }
        $statuses = @($progress | Where-Object RecordType -EQ 'Processing')
        $statuses[0].StatusDescription | Should -Be '1 offers: 1 new, 0 updated, 0 reposts, 0 skipped, 0 failed'
        $statuses[-1].StatusDescription | Should -Be '300 offers: 300 new, 0 updated, 0 reposts, 0 skipped, 0 failed'
        # Not one per chunk: the first, then one per 200 ms at most (190: the clock counts in coarse ticks), then the last.
        $statuses.Count | Should -BeLessOrEqual (2 + [math]::Floor($watch.Elapsed.TotalMilliseconds / 190))
        $counts = @($statuses | ForEach-Object { [int] ($_.StatusDescription -split ' ')[0] })
        $counts | Should -Be @($counts | Sort-Object -Unique)
        $progress[-1].RecordType | Should -Be 'Completed'
        @($progress | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1
        Assert-RunRecord $run $db -Received 300 -Inserted 300 | Out-Null
    }

    It 'records the fetch statistics of offers that came from Get-InfojobsOffer' {
        $fake = [JobSignal.TestFakes.FakeInfojobsServer]::new()
        try {
            $fake.AddGeneratedOffers(7, $null)
            $credential = [pscredential]::new($fake.ClientId, (ConvertTo-SecureString $fake.ClientSecret -AsPlainText -Force))
            $run = Get-InfojobsOffer -BaseUri $fake.BaseUri -Credential $credential -PageSize 3 -QueryKey 'madrid-finanzas' |
                Invoke-OfferIngestion -DatabasePath $db
            $served = $fake.Requests.Count, $fake.RequestsTo('List').Count, $fake.RequestsTo('Detail').Count
        }
        finally { $fake.Dispose() }
        $stored = Get-IngestionRun -DatabasePath $db -RunId $run.RunId
        $stored.QueryKey | Should -Be 'madrid-finanzas'
        $stored.Requests, $stored.Pages, $stored.DetailsFetched | Should -Be $served
        $stored.Pages | Should -Be 3
        $stored.OffersListed | Should -Be 7
        $stored.Bytes | Should -BeGreaterThan 0
        $stored.Received | Should -Be 7
        $stored.Received | Should -Be ($stored.Inserted + $stored.Reposts + $stored.SkippedNoIdentity + $stored.SkippedInvalid)
    }

    It '-WhatIf reports what would happen and leaves the store byte-for-byte unchanged' {
        @(New-TestOffer '1'; New-TestOffer '2') | Invoke-OfferIngestion -DatabasePath $db | Out-Null
        $before = (Get-FileHash $db).Hash
        $runsBefore = @(Get-IngestionRun -DatabasePath $db).Count

        $output = @(New-TestOffer '1'; New-TestOffer '3'; New-TestOffer '4' -Title 'Puesto 3' -Text (New-TestOffer '3').Description) |
            Invoke-OfferIngestion -DatabasePath $db -WhatIf -PassThru

        (Get-FileHash $db).Hash | Should -Be $before
        @(Get-IngestionRun -DatabasePath $db).Count | Should -Be $runsBefore
        $output[0..2].Outcome | Should -Be @('Updated', 'Inserted', 'Repost')
        $output[3].RunId | Should -Be 0
        $output[3].Status | Should -Be 'success'
        $output[3].Received, $output[3].Inserted, $output[3].Updated, $output[3].Reposts | Should -Be @(3, 1, 1, 1)

        $fresh = Join-Path $dir 'never-created.db'
        New-TestOffer '9' | Invoke-OfferIngestion -DatabasePath $fresh -WhatIf | Out-Null
        Test-Path $fresh | Should -BeFalse

        # The quick start's pipeline as a dry run: the ingestion's unstored run is no error for aggregation.
        $dry = @(New-TestOffer '5' | Invoke-OfferIngestion -DatabasePath $db -WhatIf |
            Update-CompanyAggregation -DatabasePath $db -WhatIf -ErrorVariable dryErrors -ErrorAction SilentlyContinue)
        $dry.Count | Should -Be 0
        $dryErrors.Count | Should -Be 0
        (Get-FileHash $db).Hash | Should -Be $before
    }

    It '-WhatIf reads a current store in place, and copies one it would have to migrate' {
        $null = @(New-TestOffer '1'; New-TestOffer '2' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        $inPlace = @(Update-CompanyAggregation -DatabasePath $db -All -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] })
        ($inPlace.Message -join "`n") | Should -BeLike "*-WhatIf: reading the store '$db' as it is*"
        ($inPlace.Message -join "`n") | Should -Not -BeLike '*private copy*'

        # A store as schema 4 left it (made by the store's own migrations): opening it for real would migrate it.
        $old = Join-Path $dir 'schema4.db'
        $storeType = Get-PrivateType 'JobSignal.Core' 'JobSignal.Core.Store.SignalStore'
        $storeType.GetMethod('Open', [Reflection.BindingFlags] 'NonPublic, Static').Invoke($null, [object[]] @([string] $old, $null, 4)).Dispose()
        $before = (Get-FileHash $old).Hash
        $copied = @(Update-CompanyAggregation -DatabasePath $old -All -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] })
        ($copied.Message -join "`n") | Should -BeLike '*private copy*'
        (Get-FileHash $old).Hash | Should -Be $before
        [int] (Invoke-TestSql $old 'PRAGMA user_version') | Should -Be $storeType::LatestSchemaVersion   # migrated by the first real open
    }

    It '-WhatIf reads through a copy, and changes neither the store nor its log, when a killed process left a -wal file' {
        $null = @(New-TestOffer '1'; New-TestOffer '2' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        $crashed = Copy-CrashedStore $db "UPDATE companies SET display_name = display_name || ' (renamed)'"
        (Get-Item "$crashed-wal").Length | Should -BeGreaterThan 0
        $before = @(Get-FileHash $crashed, "$crashed-wal").Hash

        $plan = @(Update-CompanyAggregation -DatabasePath $crashed -All -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] })

        ($plan.Message -join "`n") | Should -BeLike '*private copy*'
        @(Get-FileHash $crashed, "$crashed-wal").Hash | Should -Be $before
        # The log's committed change is still there to be applied by the next real open.
        (Get-SignalCompany -DatabasePath $crashed).Name | Should -Contain 'Beta (renamed)'
    }

    It '-WhatIf says what a real run would mark abandoned, and leaves the store and its log byte for byte as they were' {
        $null = New-TestOffer '1' | Invoke-OfferIngestion -DatabasePath $db
        $left = New-LeftRunningRun $db
        # As a killed ingestion leaves them: its run 'running', committed pages still in the -wal file.
        $crashed = Copy-CrashedStore $db "UPDATE ingestion_runs SET received = received WHERE id = $($left.RunId)"
        $before = @(Get-FileHash $crashed, "$crashed-wal").Hash

        $run = New-TestOffer '2' | Invoke-OfferIngestion -DatabasePath $crashed -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue

        $run.RunId | Should -Be 0
        $warnings.Message | Should -Be @("Run $($left.RunId) was left running by a process that ended ($($left.Owner)); a real run would mark it abandoned (-WhatIf: the store is left as it is).")
        @(Get-FileHash $crashed, "$crashed-wal").Hash | Should -Be $before
        (Get-IngestionRun -DatabasePath $crashed -RunId $left.RunId).Status | Should -Be 'running'
    }

    It '-WhatIf of re-scoring and aggregation fails where the real run would: a file that is no store, a missing catalog' {
        $notStore = Join-Path $dir 'notes.db'
        'not a database' | Set-Content $notStore
        { Update-OfferScore -DatabasePath $notStore -All -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'StoreNotSqlite,*'
        { Update-CompanyAggregation -DatabasePath $notStore -All -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'StoreNotSqlite,*'
        Get-Content $notStore | Should -Be 'not a database'

        $null = New-TestOffer '1' | Invoke-OfferIngestion -DatabasePath $db
        $before = (Get-FileHash $db).Hash
        $missing = Join-Path $dir 'no-such-catalog.json'
        { Update-OfferScore -DatabasePath $db -All -CatalogPath $missing -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'CatalogNotFound,*'
        # Aggregation reads no catalog (strong offers are what the stored matches say): its obsolete -CatalogPath is not read.
        { Update-CompanyAggregation -DatabasePath $db -All -CatalogPath $missing -WhatIf -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Not -Throw
        (Get-FileHash $db).Hash | Should -Be $before
    }

    It 'Update-OfferScore with only ids that name nothing reports them and records no run' {
        $null = New-TestOffer '1' | Invoke-OfferIngestion -DatabasePath $db
        $runs = @(Get-IngestionRun -DatabasePath $db).Count

        $result = Update-OfferScore -DatabasePath $db -OfferId 99999 -CompanyId 999 -ErrorVariable failures -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        Get-ErrorIds $failures | Sort-Object | Should -Be @('CompanyNotFound', 'OfferNotFound')
        @(Get-IngestionRun -DatabasePath $db).Count | Should -Be $runs
    }

    It 'creates the store of a first run without a warning' {
        $run = New-TestOffer '1' | Invoke-OfferIngestion -DatabasePath $db -WarningVariable warnings
        $run.Inserted | Should -Be 1
        $warnings.Count | Should -Be 0
    }

    It '-WhatIf of the other store cmdlets neither creates nor writes the store either' {
        $fresh = Join-Path $dir 'never-created.db'
        Update-CompanyAggregation -DatabasePath $fresh -All -WhatIf | Should -BeNullOrEmpty
        Update-CompanyAggregation -DatabasePath $fresh -CompanyId 1 -WhatIf | Should -BeNullOrEmpty
        Update-OfferScore -DatabasePath $fresh -All -WhatIf | Should -BeNullOrEmpty
        Test-Path $fresh | Should -BeFalse

        $run = @(New-TestOffer '1'; New-TestOffer '2' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        $before = (Get-FileHash $db).Hash
        $run | Update-CompanyAggregation -DatabasePath $db -WhatIf | Should -BeNullOrEmpty
        Update-CompanyAggregation -DatabasePath $db -All -WhatIf | Should -BeNullOrEmpty
        (Get-FileHash $db).Hash | Should -Be $before
        @(Get-ChildItem $dir).Name | Should -Be @('jobsignal.db')
        @(Get-SignalCompany -DatabasePath $db | Where-Object AggregatedAt).Count | Should -Be 0
    }

    It 'a match that cannot be stored: MatchPersistFailed, the offer stays stored without one, the run succeeds' {
        $null = Invoke-TestSql $db "CREATE TRIGGER fail_match BEFORE INSERT ON matches WHEN NEW.offer_id = (SELECT id FROM offers WHERE provider_offer_id = 'm2') BEGIN SELECT RAISE(ABORT, 'injected match failure'); END"

        # m4 has no title: the warning naming it counts m2's failed result among the inputs before it.
        $run = @(New-TestOffer 'm1'; New-TestOffer 'm2'; New-TestOffer 'm3'; New-TestOffer 'm4' -Title '') |
            Invoke-OfferIngestion -DatabasePath $db -RetryDelay 10 -ErrorVariable failures -ErrorAction SilentlyContinue -WarningVariable warnings 3>$null

        Get-ErrorIds $failures | Should -Be @('MatchPersistFailed')
        $failures[0].TargetObject.ProviderOfferId | Should -Be 'm2'
        $failures[0].Exception.Message | Should -BeLike '*injected match failure*'
        $warnings.Message | Should -Be @('Offer m4 (input 4) was skipped: Title is missing or blank.')
        Assert-RunRecord $run $db -Received 4 -Inserted 2 -Invalid 1 -MatchFailed 1 -Scored 2 | Out-Null
        $unscored = @(Get-SignalOffer -DatabasePath $db -Unscored)
        $unscored.ProviderOfferId | Should -Be @('m2')
        $unscored[0].Match | Should -BeNullOrEmpty

        $null = Invoke-TestSql $db 'DROP TRIGGER fail_match'
        $rescore = Update-OfferScore -DatabasePath $db
        Assert-RunRecord $rescore $db -Kind rescore -Received 1 -Scored 1 -Aggregated 1 | Out-Null
        @(Get-SignalOffer -DatabasePath $db -Unscored).Count | Should -Be 0
    }

    It 'a database error on one offer: OfferPersistFailed with the offer as target, the run goes on and the company is aggregated' {
        $null = Invoke-TestSql $db "CREATE TRIGGER fail_offer BEFORE INSERT ON offers WHEN NEW.provider_offer_id = 'd2' BEGIN SELECT RAISE(ABORT, 'injected offer failure'); END"

        $run = @(New-TestOffer 'd1'; New-TestOffer 'd2'; New-TestOffer 'd3') |
            Invoke-OfferIngestion -DatabasePath $db -ErrorVariable failures -ErrorAction SilentlyContinue

        Get-ErrorIds $failures | Should -Be @('OfferPersistFailed')
        $failures[0].TargetObject.ProviderOfferId | Should -Be 'd2'
        $failures[0].CategoryInfo.Category | Should -Be 'WriteError'
        Assert-RunRecord $run $db -Received 3 -Inserted 2 -FailedDb 1 | Out-Null
        $company = $run | Update-CompanyAggregation -DatabasePath $db
        $company.UniqueOffers | Should -Be 2
        Assert-RunRecord $run $db -Received 3 -Inserted 2 -FailedDb 1 -Aggregated 1 | Out-Null
    }

    It 'an invalid catalog ends the command with CatalogInvalid, records a failed run and touches no offer' {
        $catalog = Join-Path $dir 'bad.json'
        '{ "version": "0.0.1", "categories": [ { "id": "" } ], "keywords": [] }' | Set-Content $catalog

        { New-TestOffer '1' | Invoke-OfferIngestion -DatabasePath $db -CatalogPath $catalog -ErrorAction Stop } |
            Should -Throw -ErrorId 'CatalogInvalid,JobSignal.Cmdlets.Commands.InvokeOfferIngestionCommand'

        $run = Get-IngestionRun -DatabasePath $db -Last 1
        Assert-RunRecord $run $db -Status failed -Received 0 -Error 'is invalid' -CatalogVersion $null | Out-Null
        [int] (Invoke-TestSql $db 'SELECT count(*) FROM offers') | Should -Be 0
    }

    It 'a store that refuses the run''s row ends ingestion and re-scoring with their ErrorIds, before any offer, without claiming a recorded run' {
        $null = New-TestOffer 'r1' | Invoke-OfferIngestion -DatabasePath $db
        $offers = [int] (Invoke-TestSql $db 'SELECT count(*) FROM offers')
        $runs = [int] (Invoke-TestSql $db 'SELECT count(*) FROM ingestion_runs')
        $null = Invoke-TestSql $db "CREATE TRIGGER refuse_runs BEFORE INSERT ON ingestion_runs BEGIN SELECT RAISE(FAIL, 'no new runs here'); END"
        try {
            $ingestion = { New-TestOffer 'r2' | Invoke-OfferIngestion -DatabasePath $db -ErrorAction Stop } |
                Should -Throw -ErrorId 'IngestionFailed,JobSignal.Cmdlets.Commands.InvokeOfferIngestionCommand' -PassThru
            $ingestion.Exception.Message | Should -BeLike "The ingestion could not start in the store '$db'*no new runs here*"
            $ingestion.TargetObject | Should -Be $db
            $ingestion.ErrorDetails.RecommendedAction | Should -BeLike 'Nothing was ingested.*'

            $rescore = { Update-OfferScore -DatabasePath $db -All -ErrorAction Stop } |
                Should -Throw -ErrorId 'RescoreFailed,JobSignal.Cmdlets.Commands.UpdateOfferScoreCommand' -PassThru
            $rescore.Exception.Message | Should -Not -Match 'was recorded as failed'
        }
        finally { $null = Invoke-TestSql $db 'DROP TRIGGER refuse_runs' }
        [int] (Invoke-TestSql $db 'SELECT count(*) FROM offers') | Should -Be $offers
        [int] (Invoke-TestSql $db 'SELECT count(*) FROM ingestion_runs') | Should -Be $runs
    }

    It 'Ctrl+C after a committed chunk leaves a cancelled run with the committed rows, and completes progress' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript($EndlessSource).AddArgument($env:JOBSIGNAL_TEST_MODULE).AddArgument($db)
            $async = $ps.BeginInvoke()
            Wait-Until { (Test-Path $db) -and @(Get-IngestionRun -DatabasePath $db | Where-Object Received -GE 3).Count -gt 0 } 'a chunk is committed'
            $ps.Stop()
            $async.IsCompleted | Should -BeTrue
            $progress = @($ps.Streams.Progress | Where-Object ActivityId -EQ 41)
        }
        finally { $ps.Dispose() }

        $run = Get-IngestionRun -DatabasePath $db -Last 1
        $run.Received % 3 | Should -Be 0
        Assert-RunRecord $run $db -Status cancelled -Received $run.Received -Inserted $run.Received -Error 'committed chunk(s)' | Out-Null
        [int] (Invoke-TestSql $db 'SELECT count(*) FROM offers') | Should -Be $run.Received
        [int] (Invoke-TestSql $db 'SELECT count(*) FROM matches') | Should -Be $run.Received
        $progress.Count | Should -BeGreaterThan 0
    }

    It 'a terminating error of a command before it leaves a failed run saying so, not a cancelled one; committed chunks stay' {
        $source = { 1..7 | ForEach-Object { New-TestOffer "up$_" -Company "Empresa $_" }; throw 'the source broke' }

        { & $source | Invoke-OfferIngestion -DatabasePath $db -ChunkSize 3 } | Should -Throw 'the source broke'

        $run = Get-IngestionRun -DatabasePath $db -Last 1
        $run.Status | Should -Be 'failed'
        $run.ErrorMessage | Should -BeLike '*pipeline stopped before the ingestion ended because another command in it failed*'
        $run.FinishedAt | Should -Not -BeNullOrEmpty
        [int] (Invoke-TestSql $db 'SELECT count(*) FROM offers') | Should -Be $run.Inserted
    }

    It 'InfoJobs refusing access in the middle of a fetch leaves a failed ingestion run, with the fetch statistics' {
        $fake = [JobSignal.TestFakes.FakeInfojobsServer]::new()
        try {
            $fake.AddGeneratedOffers(30, $null)
            # Slow answers: the fetch is far from its end when access is taken away.
            $fake.Latency = [timespan]::FromMilliseconds(40)
            $credential = [pscredential]::new($fake.ClientId, (ConvertTo-SecureString $fake.ClientSecret -AsPlainText -Force))
            # A consumer between the two forbids further access once a few offers went through: the next request gets 403.
            $forbid = { process { if (++$script:seen -eq 4) { $fake.Forbidden = $true }; $_ } }
            $script:seen = 0
            $err = { Get-InfojobsOffer -BaseUri $fake.BaseUri -Credential $credential -PageSize 3 -DetailConcurrency 1 -QueryKey midrun |
                    & $forbid | Invoke-OfferIngestion -DatabasePath $db -ChunkSize 2 } | Should -Throw -PassThru
        }
        finally { $fake.Dispose() }

        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsAuthenticationFailed,*'
        $run = Get-IngestionRun -DatabasePath $db -Last 1
        $run.Status | Should -Be 'failed'
        $run.ErrorMessage | Should -BeLike '*another command in it failed*'
        $run.QueryKey | Should -Be 'midrun'
        $run.Requests | Should -BeGreaterThan 0
    }

    It 'a terminating error of a command after it leaves a failed run with that error' {
        { & { 1..5 | ForEach-Object { New-TestOffer "down$_" -Company "Empresa $_" } } |
            Invoke-OfferIngestion -DatabasePath $db -ChunkSize 2 -PassThru | ForEach-Object { throw 'the consumer broke' } } |
            Should -Throw 'the consumer broke'

        $run = Get-IngestionRun -DatabasePath $db -Last 1
        $run.Status | Should -Be 'failed'
        $run.ErrorMessage | Should -BeLike '*pipeline stopped before the ingestion ended*the consumer broke*'
    }

    It 'Select-Object -First after -PassThru, wanting no more results, leaves a cancelled run' {
        $results = @(& { 1..9 | ForEach-Object { New-TestOffer "first$_" -Company "Empresa $_" } } |
            Invoke-OfferIngestion -DatabasePath $db -ChunkSize 2 -PassThru | Select-Object -First 1)

        $results.Count | Should -Be 1
        $run = Get-IngestionRun -DatabasePath $db -Last 1
        $run.Status | Should -Be 'cancelled'
    }

    It 'a scheduled query whose fetch brought no offer (429 on the first page) still records its fetch statistics' {
        $fake = [JobSignal.TestFakes.FakeInfojobsServer]::new()
        $saved = $env:INFOJOBS_CLIENT_ID, $env:INFOJOBS_CLIENT_SECRET
        try {
            $fake.AddGeneratedOffers(5, $null)
            $fake.FaultEndpoint = 'List'
            $fake.RateLimitCount = 1000
            $env:INFOJOBS_CLIENT_ID = $fake.ClientId
            $env:INFOJOBS_CLIENT_SECRET = $fake.ClientSecret
            $config = Join-Path $dir 'jobsignal.config.psd1'
            @"
@{
    DatabasePath = 'jobsignal.db'
    Infojobs     = @{ BaseUri = '$($fake.BaseUri)' }
    Queries      = @( @{ Key = 'limited'; MaxPages = 2 } )
    Sheet        = @{ Enabled = `$false }
    Feedback     = @{ Enabled = `$false }
}
"@ | Set-Content $config
            $summary = Invoke-JobSignalPipeline -ConfigPath $config -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $served = $fake.RequestsTo('List').Count
        }
        finally {
            $fake.Dispose()
            $env:INFOJOBS_CLIENT_ID, $env:INFOJOBS_CLIENT_SECRET = $saved
        }

        $summary.Queries[0].Status | Should -Be 'Failed'
        $run = Get-IngestionRun -DatabasePath $db -RunId $summary.Queries[0].RunId
        $run.Received | Should -Be 0
        $run.Provider | Should -Be 'infojobs'
        $run.QueryKey | Should -Be 'limited'
        $run.Requests | Should -Be $served
        $run.RateLimited | Should -Be $served
        $run.Retries | Should -Be ($served - 1)
        $run.TruncationReason | Should -Not -BeNullOrEmpty
    }

    It 'a killed process leaves its run running; the next run marks it abandoned' {
        $script = Join-Path $dir 'endless.ps1'
        Set-Content $script $EndlessSource.ToString()
        $pwsh = @($env:JOBSIGNAL_TEST_PWSH -split [IO.Path]::PathSeparator)
        $start = [Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $script, $env:JOBSIGNAL_TEST_MODULE, $db)) {
            $start.ArgumentList.Add($argument)
        }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $child = [Diagnostics.Process]::Start($start)
        try {
            Wait-Until { (Test-Path $db) -and @(Get-IngestionRun -DatabasePath $db | Where-Object Received -GE 3).Count -gt 0 } 'the child committed a chunk'
        }
        finally {
            $child.Kill($true)
            $child.WaitForExit()
            $child.Dispose()
        }
        $killed = Get-IngestionRun -DatabasePath $db -Last 1
        $killed.Status | Should -Be 'running'

        $next = New-TestOffer 'after' | Invoke-OfferIngestion -DatabasePath $db -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings.Message | Should -BeLike "*Run $($killed.RunId)*abandoned*"
        $abandoned = Get-IngestionRun -DatabasePath $db -RunId $killed.RunId
        $abandoned.Status | Should -Be 'abandoned'
        $abandoned.FinishedAt | Should -Not -BeNullOrEmpty
        $abandoned.ErrorMessage | Should -BeLike "*$($killed.Owner)*"
        $abandoned.Received | Should -Be $killed.Received
        Assert-RunRecord $next $db -Received 1 -Inserted 1 | Out-Null
    }

    It 'warns about stored offers whose content signature is damaged; ingesting them again mends it' {
        $null = New-TestOffer 'first' -Text $StrongText | Invoke-OfferIngestion -DatabasePath $db
        $first = [long] (Invoke-TestSql $db "SELECT id FROM offers WHERE provider_offer_id = 'first'")
        $null = Invoke-TestSql $db "UPDATE offers SET content_signature = x'00ff' WHERE id = $first"

        $run = New-TestOffer 'second' -Text $StrongText | Invoke-OfferIngestion -DatabasePath $db -WarningVariable warnings -WarningAction SilentlyContinue

        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "1 stored offer(s) have a content signature that could not be read (offer id(s) $first)*Ingesting them again*"
        Assert-RunRecord $run $db -Received 1 -Inserted 1 | Out-Null

        $mended = @(New-TestOffer 'first' -Text $StrongText; New-TestOffer 'third' -Text $StrongText) |
            Invoke-OfferIngestion -DatabasePath $db -WarningVariable later -WarningAction SilentlyContinue
        @($later).Count | Should -Be 0
        Assert-RunRecord $mended $db -Received 2 -Updated 1 -Reposts 1 | Out-Null
    }
}

Describe 'Update-CompanyAggregation' {
    BeforeEach {
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'jobsignal.db'
    }
    AfterEach { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'retries a company that fails, then succeeds: attempts and back-off reported, counts written into the run' {
        $run = @(New-TestOffer 'a1' -Company 'Acme'; New-TestOffer 'b1' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        $beta = (Get-SignalCompany -DatabasePath $db -Name 'Beta').CompanyId
        $null = Invoke-TestSql $db "CREATE TRIGGER flaky BEFORE UPDATE OF max_score ON companies WHEN NEW.id = $beta BEGIN SELECT RAISE(ABORT, 'injected aggregation failure'); END"
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Module, $Db, $RunId)
                    Import-Module $Module
                    Update-CompanyAggregation -DatabasePath $Db -RunId $RunId -RetryDelay 3000 -MaxRetries 3 -Verbose
                }).AddArgument($env:JOBSIGNAL_TEST_MODULE).AddArgument($db).AddArgument($run.RunId)
            $async = $ps.BeginInvoke()
            # The back-off wait holds no lock: the fault can be repaired while the cmdlet waits to retry.
            Wait-Until { (Get-StreamMessages $ps.Streams.Verbose) -like "Company ${beta}: attempt 1 failed*" } 'the first attempt failed'
            $null = Invoke-TestSql $db 'DROP TRIGGER flaky'
            $companies = @($ps.EndInvoke($async))
            $verbose = Get-StreamMessages $ps.Streams.Verbose
            $errors = @($ps.Streams.Error)
        }
        finally { $ps.Dispose() }

        $errors.Count | Should -Be 0
        $companies.Count | Should -Be 2
        ($companies | Where-Object CompanyId -EQ $beta).MaxScore | Should -Not -BeNullOrEmpty
        $retried = $verbose | Where-Object { $_ -like "Beta ($beta): aggregated after *" }
        $retried -match 'aggregated after 2 attempts \(waited (\d+) ms\)' | Should -BeTrue -Because "the verbose output says: $retried"
        [int] $Matches[1] | Should -BeIn (2400..3600)
        Assert-RunRecord $run $db -Received 2 -Inserted 2 -Aggregated 2 | Out-Null
    }

    It 'reports a company that keeps failing with CompanyAggregationFailed and goes on with the others' {
        $run = @(New-TestOffer 'a1' -Company 'Acme'; New-TestOffer 'b1' -Company 'Beta'; New-TestOffer 'c1' -Company 'Gamma') |
            Invoke-OfferIngestion -DatabasePath $db
        $beta = (Get-SignalCompany -DatabasePath $db -Name 'Beta').CompanyId
        $null = Invoke-TestSql $db "CREATE TRIGGER broken BEFORE UPDATE OF max_score ON companies WHEN NEW.id = $beta BEGIN SELECT RAISE(ABORT, 'injected aggregation failure'); END"

        $companies = @($run | Update-CompanyAggregation -DatabasePath $db -ChunkSize 2 -MaxRetries 2 -RetryDelay 20 -ErrorVariable failures -ErrorAction SilentlyContinue)

        Get-ErrorIds $failures | Should -Be @('CompanyAggregationFailed')
        $failures[0].TargetObject | Should -Be $beta
        $failures[0].Exception.Message -match 'after 3 attempt\(s\) \(waited (\d+) ms, (\d+) ms\)' | Should -BeTrue
        [int] $Matches[1] | Should -BeIn (16..24)
        [int] $Matches[2] | Should -BeIn (32..48)
        $companies.Name | Should -Be @('Acme', 'Gamma') -Because 'the failed company is not written, the others are'
        Assert-RunRecord $run $db -Received 3 -Inserted 3 -Aggregated 2 -CompaniesFailed 1 | Out-Null
    }

    It 'takes runs by RunId, companies by CompanyId from the pipeline, or -All; unknown ids are reported' {
        $run = @(New-TestOffer 'a1' -Company 'Acme'; New-TestOffer 'b1' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db

        @(Get-IngestionRun -DatabasePath $db -RunId $run.RunId | Update-CompanyAggregation -DatabasePath $db).Count | Should -Be 2
        @(Get-SignalCompany -DatabasePath $db -Name 'Beta' | Update-CompanyAggregation -DatabasePath $db).Name | Should -Be 'Beta'
        @(Update-CompanyAggregation -DatabasePath $db -All).Count | Should -Be 2

        Update-CompanyAggregation -DatabasePath $db -RunId 999, 0 -ErrorVariable missingRuns -ErrorAction SilentlyContinue
        Get-ErrorIds $missingRuns | Should -Be @('IngestionRunNotFound', 'IngestionRunNotFound')
        $missingRuns[1].Exception.Message | Should -BeLike '*-WhatIf run*'
        # Under -WhatIf the cmdlet works on a private copy of the store, but speaks of the store the user gave.
        Update-CompanyAggregation -DatabasePath $db -RunId 999 -WhatIf -ErrorVariable missingDry -ErrorAction SilentlyContinue
        $missingDry[0].Exception.Message | Should -BeLike "*in the store '$db'*"
        Update-CompanyAggregation -DatabasePath $db -CompanyId 4242 -ErrorVariable missingCompany -ErrorAction SilentlyContinue
        Get-ErrorIds $missingCompany | Should -Be @('CompanyNotFound')
    }

    It '-Stale aggregates the companies never aggregated or seen since their last aggregation, and leaves final ones frozen' {
        $null = @(New-TestOffer 'a1' -Company 'Acme'; New-TestOffer 'b1' -Company 'Beta'; New-TestOffer 'c1' -Company 'Gamma') |
            Invoke-OfferIngestion -DatabasePath $db
        $acme, $beta, $gamma = 'Acme', 'Beta', 'Gamma' | ForEach-Object { (Get-SignalCompany -DatabasePath $db -Name $_).CompanyId }
        $null = Update-CompanyAggregation -DatabasePath $db -CompanyId $acme
        $null = Invoke-TestSql $db "UPDATE companies SET resolution = 'REJECTED' WHERE id = $gamma"

        # Beta was never aggregated (a run stopped before its aggregation); Gamma neither, but its resolution is final.
        $caughtUp = @(Update-CompanyAggregation -DatabasePath $db -Stale)

        $caughtUp.CompanyId | Should -Be @($beta)
        $caughtUp[0].MaxScore | Should -Not -BeNullOrEmpty
        (Get-SignalCompany -DatabasePath $db -CompanyId $gamma).AggregatedAt | Should -BeNullOrEmpty
        # Acme seen again by a later ingestion is stale again; nothing else is.
        $null = New-TestOffer 'a2' -Company 'Acme' | Invoke-OfferIngestion -DatabasePath $db
        @(Update-CompanyAggregation -DatabasePath $db -Stale).CompanyId | Should -Be @($acme)
        @(Update-CompanyAggregation -DatabasePath $db -Stale -Verbose 4>&1).Message | Should -Contain 'No companies to aggregate.'
    }

    It 'aggregates each company once however many runs and objects name it, after the last offer, and records every run' {
        $first = @(New-TestOffer 'r1' -Company 'Acme'; New-TestOffer 'r2' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        # -PassThru: a result per offer as its chunk commits (Acme's second offer in a later chunk), one naming no company, then the run.
        $piped = @(New-TestOffer 'r3' -Company 'Acme'; [pscustomobject]@{ Title = 'Sin empresa' }; New-TestOffer 'r4' -Company 'Acme'; New-TestOffer 'r5' -Company 'Gamma') |
            Invoke-OfferIngestion -DatabasePath $db -PassThru -ChunkSize 1 | Update-CompanyAggregation -DatabasePath $db -ErrorVariable errs
        $errs.Count | Should -Be 0
        ($piped.Name | Sort-Object) | Should -Be @('Acme', 'Gamma')
        ($piped | Where-Object Name -EQ 'Acme').OfferCount | Should -Be 3
        $second = Get-IngestionRun -DatabasePath $db -Last 1
        $second.CompaniesAggregated | Should -Be 2

        $both = @(Get-IngestionRun -DatabasePath $db -RunId $first.RunId, $second.RunId | Update-CompanyAggregation -DatabasePath $db)
        ($both.Name | Sort-Object) | Should -Be @('Acme', 'Beta', 'Gamma')
        (Get-IngestionRun -DatabasePath $db -RunId $first.RunId).CompaniesAggregated | Should -Be 2
        (Get-IngestionRun -DatabasePath $db -RunId $second.RunId).CompaniesAggregated | Should -Be 2
    }

    Context 'metrics on hand-built offers' {
        BeforeEach {
            # Offers and matches written with the store API, so every score and date is exactly what the case needs.
            $script:addOffer = {
                param($store, [long] $CompanyId, [string] $Id, $Score, $Published, [int] $Reposts = 0)
                $offer = (Get-PrivateType 'JobSignal.Core' 'JobSignal.Core.Domain.Offer')::new()
                $offer.ProviderOfferId = $Id; $offer.Url = "https://www.infojobs.net/x/of-i$Id"; $offer.Title = "Puesto $Id"
                $offer.Description = $StrongText
                $offer.PublishedAt = $Published
                $content = (Get-PrivateType 'JobSignal.Core' 'JobSignal.Core.Store.OfferContent')::new($Id, $Id, 1, $null)
                $seen = [DateTimeOffset]::new(2025, 5, 20, 0, 0, 0, [TimeSpan]::Zero)
                $offerId = $store.Offers.Insert($CompanyId, $offer, $content, $seen)
                for ($r = 1; $r -le $Reposts; $r++) { $null = $store.Offers.RegisterRepost($offerId, 'infojobs', "$Id-r$r", $seen.AddDays($r)) }
                if ($null -ne $Score) {
                    $match = (Get-PrivateType 'JobSignal.Core' 'JobSignal.Core.Store.MatchRecord')::new()
                    $match.OfferId = $offerId; $match.Score = $Score; $match.Raw = $Score; $match.IsStrong = $Score -ge 6
                    $match.TopCategory = 'cat_fx_currency_ops'; $match.CatalogVersion = 'hand'; $match.ExplanationJson = '{"format":1}'
                    $match.CategoryPointsJson = '{"cat_fx_currency_ops":' + [Math]::Min(6, $Score) + '}'
                    $match.MatchedAt = $seen
                    $store.Matches.Upsert($match)
                }
                $offerId
            }
            $script:addCompany = {
                param($store, [string] $Name)
                $store.Companies.Insert((Get-PrivateType 'JobSignal.Core' 'JobSignal.Core.Store.NewCompany')::new($Name, $Name.ToLowerInvariant(), $null, $false),
                    [DateTimeOffset]::new(2025, 5, 1, 0, 0, 0, [TimeSpan]::Zero))
            }
        }

        It 'ties go to the most recent offer; reposts weigh activity only; missing dates fall back to last seen' {
            $ids = Use-Store $db {
                param($store)
                $c = & $addCompany $store 'Hand'
                $old = & $addOffer $store $c 'old' 8 ([DateTimeOffset]::new(2025, 4, 1, 0, 0, 0, [TimeSpan]::Zero)) 2
                $new = & $addOffer $store $c 'new' 8 ([DateTimeOffset]::new(2025, 5, 10, 0, 0, 0, [TimeSpan]::Zero))
                $undated = & $addOffer $store $c 'undated' 7 $null
                $null = & $addOffer $store $c 'weak' 5 $null
                $null = & $addOffer $store $c 'unscored' $null $null
                [pscustomobject]@{ Company = $c; Old = $old; New = $new; Undated = $undated }
            }

            $company = Update-CompanyAggregation -DatabasePath $db -CompanyId $ids.Company

            $company.MaxScore | Should -Be 8
            $company.TopOfferId | Should -Be $ids.New
            $company.UniqueOffers | Should -Be 5
            $company.OfferCount | Should -Be 7
            $company.StrongOffers | Should -Be 3
            $company.AvgStrongScore | Should -BeGreaterThan 7.66
            $company.AvgStrongScore | Should -BeLessThan 7.67
            # The undated strong offer counts as seen on 2025-05-20: more recent than the newest publication.
            $company.LastStrongAt | Should -Be ([DateTimeOffset]::new(2025, 5, 20, 0, 0, 0, [TimeSpan]::Zero))
            # The most points the category earned in one offer (the match of the 8 says 6), not the offer's score.
            $company.CategoryScores['cat_fx_currency_ops'] | Should -Be 6
        }

        It 'strong offers are what the stored matches say, whatever catalog is in force when aggregating' {
            $companyId = Use-Store $db {
                param($store)
                $c = & $addCompany $store 'Threshold'
                $null = & $addOffer $store $c 'six' 6 $null
                $null = & $addOffer $store $c 'five' 5 $null
                $c
            }
            $lenient = Join-Path $dir 'lenient.json'
            $model = Get-Content $defaultCatalog -Raw | ConvertFrom-Json
            $model.scoring.strongThreshold = 5
            $model | ConvertTo-Json -Depth 20 | Set-Content $lenient

            (Update-CompanyAggregation -DatabasePath $db -CompanyId $companyId).StrongOffers | Should -Be 1
            $env:JOBSIGNAL_CATALOG = $lenient
            try { (Update-CompanyAggregation -DatabasePath $db -CompanyId $companyId).StrongOffers | Should -Be 1 }
            finally { Remove-Item Env:JOBSIGNAL_CATALOG }
        }

        It 'a company with a final resolution keeps its frozen metrics and is still written out' {
            $companyId = Use-Store $db {
                param($store)
                $c = & $addCompany $store 'Frozen'
                $null = & $addOffer $store $c 'f1' 9 $null
                $c
            }
            (Update-CompanyAggregation -DatabasePath $db -CompanyId $companyId).MaxScore | Should -Be 9
            Use-Store $db {
                param($store)
                $null = $store.Companies.UpdateResolution($companyId, 'REJECTED', [DateTimeOffset]::UtcNow)
                $null = & $addOffer $store $companyId 'f2' 10 $null
            }

            $frozen = Update-CompanyAggregation -DatabasePath $db -CompanyId $companyId -Verbose 4>&1

            ($frozen | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Contain 'Frozen (1): resolution REJECTED is final, metrics kept frozen.'
            $company = $frozen | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
            $company.MaxScore, $company.UniqueOffers, $company.Resolution | Should -Be @(9, 1, 'REJECTED')
        }
    }
}

Describe 'Get-SignalCompany and Get-SignalOffer' {
    BeforeAll {
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'jobsignal.db'
        $run = @(
            New-TestOffer 's1' -Company 'Acme Pagos S.L.' -Title 'Analista de pagos internacionales' -Text $StrongText
            New-TestOffer 's2' -Company 'Acme Pagos S.L.'
            New-TestOffer 'p1' -Company 'Panadería Sol' -Title 'Panadero' -Text 'Horno de leña, turnos de mañana, reparto en el barrio.'
        ) | Invoke-OfferIngestion -DatabasePath $db
        $null = $run | Update-CompanyAggregation -DatabasePath $db
        $script:acme = Get-SignalCompany -DatabasePath $db -Name 'acme*'
    }
    AfterAll { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'binds CompanyId by property name from Get-SignalCompany into Get-SignalOffer, with the explanation as an object' {
        $offers = @(Get-SignalCompany -DatabasePath $db -Name 'acme*' | Get-SignalOffer -DatabasePath $db)
        $offers.ProviderOfferId | Should -Be @('s1', 's2')
        $offers[0].PSObject.TypeNames[0] | Should -Be 'JobSignal.StoredOffer'
        $offers[0].Match.GetType().FullName | Should -Be 'JobSignal.Core.Signal.SignalScore'
        $offers[0].Match.Score | Should -Be $offers[0].Score
        $offers[0].Match.Evidence | Should -Match 'USD'
        (Measure-OfferSignal -Title $offers[0].Title -Description $offers[0].Description).Score | Should -Be $offers[0].Score
    }

    It 'filters companies by score, category (id or name), keyword, resolution, date, name and top' {
        $acme.MaxScore | Should -BeGreaterOrEqual 6
        (Get-SignalCompany -DatabasePath $db -MinScore 6).Name | Should -Be @('Acme Pagos S.L.')
        (Get-SignalCompany -DatabasePath $db -Keyword 'swift').Name | Should -Be @('Acme Pagos S.L.')
        (Get-SignalCompany -DatabasePath $db -Category $acme.TopCategory).Name | Should -Contain 'Acme Pagos S.L.'
        $categoryName = (Get-SignalCatalog).Categories | Where-Object Id -EQ $acme.TopCategory | ForEach-Object Name
        (Get-SignalCompany -DatabasePath $db -Category $categoryName.ToUpperInvariant()).Name | Should -Contain 'Acme Pagos S.L.'
        @(Get-SignalCompany -DatabasePath $db -Resolution pending).Count | Should -Be 2
        @(Get-SignalCompany -DatabasePath $db -Resolution REJECTED).Count | Should -Be 0
        @(Get-SignalCompany -DatabasePath $db -Since (Get-Date).AddDays(1)).Count | Should -Be 0
        @(Get-SignalCompany -DatabasePath $db -Top 1).Name | Should -Be @('Acme Pagos S.L.')
        (Get-SignalCompany -DatabasePath $db 'pan?der*').Name | Should -Be 'Panadería Sol'
        @(Get-SignalOffer -DatabasePath $db -MinScore 6).ProviderOfferId | Should -Be @('s1')
        @(Get-SignalOffer -DatabasePath $db -Keyword 'swift').ProviderOfferId | Should -Be @('s1')
        @(Get-SignalOffer -DatabasePath $db -Keyword 'PANADERO').ProviderOfferId | Should -Be @('p1')
        # Field names and values of the stored explanation are no keywords.
        @(Get-SignalOffer -DatabasePath $db -Keyword 'score').Count | Should -Be 0
        @(Get-SignalCompany -DatabasePath $db -Keyword 'true').Count | Should -Be 0
    }

    It 'reads a fractional -MinScore as at least that score (scores are whole numbers), not rounded to even' {
        (Get-SignalCompany -DatabasePath $db -MinScore ($acme.MaxScore - 0.5)).Name | Should -Contain 'Acme Pagos S.L.'
        foreach ($score in @(Get-SignalOffer -DatabasePath $db | Where-Object { $null -ne $_.Score -and $_.Score -lt 10 }).Score) {
            @(Get-SignalOffer -DatabasePath $db -MinScore ($score + 0.5) | Where-Object Score -LE $score).Count | Should -Be 0
            @(Get-SignalOffer -DatabasePath $db -MinScore ($score - 0.5) | Where-Object Score -EQ $score).Count | Should -BeGreaterThan 0
        }
        @(Get-SignalOffer -DatabasePath $db -MinScore '5.5' | Where-Object Score -LT 6).Count | Should -Be 0
        $reader = [JobSignal.Cmdlets.Infrastructure.MinScoreTransformationAttribute]::new()
        $reader.Transform($null, 6.5) | Should -Be 7
        $reader.Transform($null, 6.0) | Should -Be 6
        $reader.Transform($null, '5.5') | Should -Be 6
        $reader.Transform($null, 4) | Should -Be 4
        { Get-SignalCompany -DatabasePath $db -MinScore 10.5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'takes the dates the module outputs (DateTimeOffset) for -Since, as the same instant' {
        $seen = (Get-SignalCompany -DatabasePath $db | Sort-Object LastSeenAt | Select-Object -Last 1).LastSeenAt
        $seen | Should -BeOfType [DateTimeOffset]
        @(Get-SignalCompany -DatabasePath $db -Since $seen).Count | Should -BeGreaterThan 0
        @(Get-SignalCompany -DatabasePath $db -Since $seen.AddSeconds(1)).Count | Should -Be 0
        @(Get-SignalCompany -DatabasePath $db -Since $seen.ToOffset([TimeSpan]::FromHours(5)).AddSeconds(1)).Count | Should -Be 0
        @(Get-SignalOffer -DatabasePath $db -Since (Get-IngestionRun -DatabasePath $db -Last 1).StartedAt.AddDays(1)).Count | Should -Be 0
        @(Get-SignalFeedback -DatabasePath $db -Since ([DateTimeOffset]::UtcNow.AddDays(-1))).Count | Should -Be 0
    }

    It 'reads a retry delay in milliseconds or seconds with its unit' {
        $null = Update-CompanyAggregation -DatabasePath $db -All -RetryDelay 250ms
        $null = Update-CompanyAggregation -DatabasePath $db -All -RetryDelay '1.5s'
        { Update-CompanyAggregation -DatabasePath $db -All -RetryDelay '2 minutes' } | Should -Throw '*is not a delay*250ms*'
        $reader = [JobSignal.Cmdlets.Infrastructure.DelayTransformationAttribute]::new()
        $reader.Transform($null, '250ms') | Should -Be ([TimeSpan]::FromMilliseconds(250))
        $reader.Transform($null, '1.5s') | Should -Be ([TimeSpan]::FromSeconds(1.5))
        $reader.Transform($null, '1.5 S') | Should -Be ([TimeSpan]::FromSeconds(1.5))
        $reader.Transform($null, '40') | Should -Be ([TimeSpan]::FromMilliseconds(40))
        $reader.Transform($null, '00:00:02') | Should -Be ([TimeSpan]::FromSeconds(2))
    }

    It 'reports ids that name nothing in the store (CompanyNotFound, OfferNotFound), not ids the filters leave out' {
        $offerId = (Get-SignalOffer -DatabasePath $db -Top 1).OfferId
        $companies = @(Get-SignalCompany -DatabasePath $db -CompanyId $acme.CompanyId, 4242 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $companies.Name | Should -Be @('Acme Pagos S.L.')
        Get-ErrorIds $errs | Should -Be @('CompanyNotFound')
        $errs[0].TargetObject | Should -Be 4242
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].Exception.Message | Should -BeLike "There is no company 4242 in the store '*jobsignal.db'."

        $offers = @([pscustomobject]@{ OfferId = $offerId }, [pscustomobject]@{ OfferId = 9999 } |
            Get-SignalOffer -DatabasePath $db -ErrorVariable errs -ErrorAction SilentlyContinue)
        $offers.OfferId | Should -Be @($offerId)
        Get-ErrorIds $errs | Should -Be @('OfferNotFound')
        $errs[0].TargetObject | Should -Be 9999
        Get-SignalOffer -DatabasePath $db -CompanyId 4242 -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-ErrorIds $errs | Should -Be @('CompanyNotFound')

        # Filtered out is not unknown.
        Get-SignalCompany -DatabasePath $db -CompanyId $acme.CompanyId -Resolution REJECTED -ErrorVariable errs | Should -BeNullOrEmpty
        Get-SignalOffer -DatabasePath $db -OfferId $offerId -CompanyId $acme.CompanyId -Unscored -ErrorVariable more | Should -BeNullOrEmpty
        $errs.Count + $more.Count | Should -Be 0
    }

    It 'writes offers a batch at a time as it reads them: a later batch shows the offers as stored when it is reached' {
        $many = Join-Path $dir 'many.db'
        $null = 1..300 | ForEach-Object { New-TestOffer "m$_" -Company "Lote $($_ % 7)" } | Invoke-OfferIngestion -DatabasePath $many
        $ranked = @(Get-SignalOffer -DatabasePath $many)
        $ranked.Count | Should -Be 300
        $last = $ranked[-1].OfferId
        $streamed = @(Get-SignalOffer -DatabasePath $many | ForEach-Object -Begin { $first = $true } -Process {
                if ($first) { $null = Invoke-TestSql $many "UPDATE offers SET title = 'Retitled' WHERE id = $last"; $first = $false }
                $_
            })
        $streamed.OfferId | Should -Be $ranked.OfferId
        $streamed[0].Title | Should -Not -Be 'Retitled'
        $streamed[-1].Title | Should -Be 'Retitled'
        @(Get-SignalOffer -DatabasePath $many | Select-Object -First 2).OfferId | Should -Be $ranked[0..1].OfferId
    }

    It 'takes -PassThru results: each offer or company once, and a skipped offer (no ids) passed over without an error' {
        $results = @(New-TestOffer 's1'; [pscustomobject]@{ Title = 'Sin empresa' }) |
            Invoke-OfferIngestion -DatabasePath $db -PassThru | Where-Object { $_.PSObject.Properties['Outcome'] }
        $results.Count | Should -Be 2
        @($results | Get-SignalOffer -DatabasePath $db -ErrorVariable offerErrors).ProviderOfferId | Should -Be @('s1')
        @($results | Get-SignalCompany -DatabasePath $db -ErrorVariable companyErrors).Name | Should -Be @('Acme Pagos S.L.')
        $offerErrors.Count + $companyErrors.Count | Should -Be 0
        { Get-SignalOffer -DatabasePath $db -OfferId 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,JobSignal.Cmdlets.Commands.GetSignalOfferCommand'
    }

    It 'takes a run record for the companies it touched (AffectedCompanyIds), emitted or read back, in every cmdlet that takes company ids' {
        $own = Join-Path (New-TestDirectory) 'run.db'
        $null = New-TestOffer 'o1' -Company 'Untouched S.L.' | Invoke-OfferIngestion -DatabasePath $own
        $run = @(New-TestOffer 'r1' -Text $StrongText; New-TestOffer 'r2' -Company 'Beta S.A.') | Invoke-OfferIngestion -DatabasePath $own
        $touched = @($run.AffectedCompanyIds | Sort-Object)
        $touched.Count | Should -Be 2

        foreach ($record in $run, (Get-IngestionRun -DatabasePath $own -RunId $run.RunId)) {
            @($record | Get-SignalCompany -DatabasePath $own -ErrorAction Stop).CompanyId | Sort-Object | Should -Be $touched
            @($record | Get-SignalOffer -DatabasePath $own -ErrorAction Stop).ProviderOfferId | Sort-Object | Should -Be @('r1', 'r2')
            @($record | Get-SignalFeedback -DatabasePath $own -ErrorAction Stop) | Should -BeNullOrEmpty
        }
        $rescore = $run | Update-OfferScore -DatabasePath $own -ErrorAction Stop
        $rescore.Received | Should -Be 2
        @($rescore.AffectedCompanyIds | Sort-Object) | Should -Be $touched
        # Aggregation still takes a piped run by its RunId, so that what it did is recorded in that run.
        @($run | Update-CompanyAggregation -DatabasePath $own -ErrorAction Stop).Count | Should -Be 2
        (Get-IngestionRun -DatabasePath $own -RunId $run.RunId).CompaniesAggregated | Should -Be 2
    }

    It 'queries what piped objects name once, at the end: -Top and the ranking hold for the whole output, each item once' {
        $ranked = @(Get-SignalCompany -DatabasePath $db)
        $ranked.Name | Should -Be @('Acme Pagos S.L.', 'Panadería Sol')
        $sol = $ranked[1]
        @($sol, $acme, $sol | Get-SignalCompany -DatabasePath $db).Name | Should -Be $ranked.Name
        @($sol, $acme | Get-SignalCompany -DatabasePath $db -Top 1).Name | Should -Be @('Acme Pagos S.L.')

        $offers = @(Get-SignalOffer -DatabasePath $db)
        @($sol, $acme, $acme | Get-SignalOffer -DatabasePath $db).OfferId | Should -Be $offers.OfferId
        @($sol, $acme | Get-SignalOffer -DatabasePath $db -Top 2).OfferId | Should -Be $offers[0..1].OfferId
        # A piped offer stands for itself, a piped company for its offers; ids given as parameters filter them.
        $s2 = $offers | Where-Object ProviderOfferId -EQ 's2'
        @($sol, $s2 | Get-SignalOffer -DatabasePath $db).ProviderOfferId |
            Should -Be @($offers | Where-Object ProviderOfferId -In 's2', 'p1' | ForEach-Object ProviderOfferId)
        @($s2 | Get-SignalOffer -DatabasePath $db -CompanyId $sol.CompanyId).Count | Should -Be 0
        @($s2 | Get-SignalOffer -DatabasePath $db -CompanyId $acme.CompanyId).ProviderOfferId | Should -Be @('s2')
        @($sol, [pscustomobject]@{ CompanyId = 4242 }, [pscustomobject]@{ OfferId = 9999 } |
            Get-SignalOffer -DatabasePath $db -ErrorVariable errs -ErrorAction SilentlyContinue).ProviderOfferId | Should -Be @('p1')
        Get-ErrorIds $errs | Sort-Object | Should -Be @('CompanyNotFound', 'OfferNotFound')
    }

    It 'matches -Name as -like does: any letter case in any alphabet, ? and [ ] sets, backtick escapes' {
        $names = 'Olivar de Jaén S.C.A.', 'Laboratorios Farmaibérica S.A.', 'Game [Studio] *Beta*', 'Fame Corp'
        $named = Join-Path $dir 'named.db'
        $null = 0..3 | ForEach-Object { New-TestOffer "n$_" -Company $names[$_] } | Invoke-OfferIngestion -DatabasePath $named
        foreach ($pattern in '*JAÉN*', '*jaén*', '*FARMAIBÉRICA*', '*[É]*', '[GF]ame*', '[f-g]AME *', '?ame*', 'fame corp',
            '*`[studio`]*', '*`*beta`**', 'Fame Corp`*') {
            (@(Get-SignalCompany -DatabasePath $named -Name $pattern).Name | Sort-Object) -join '|' |
                Should -Be (($names -like $pattern | Sort-Object) -join '|') -Because "-Name '$pattern'"
        }
        { Get-SignalCompany -DatabasePath $named -Name 'Game [Studio' } |
            Should -Throw -ErrorId 'WildcardInvalid,JobSignal.Cmdlets.Commands.GetSignalCompanyCommand'
    }

    It 'refuses a blank -Keyword as an empty one: it would be found in every text' {
        foreach ($keyword in '', ' ', "`t ") {
            { Get-SignalCompany -DatabasePath $db -Keyword $keyword } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,JobSignal.Cmdlets.Commands.GetSignalCompanyCommand'
            { Get-SignalOffer -DatabasePath $db -Keyword $keyword } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,JobSignal.Cmdlets.Commands.GetSignalOfferCommand'
        }
        # Likewise a blank -Name pattern (it finds nothing) and a blank -QueryKey (it names no query).
        { Get-SignalCompany -DatabasePath $db -Name '  ' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,JobSignal.Cmdlets.Commands.GetSignalCompanyCommand'
        { New-TestOffer 'q1' | Invoke-OfferIngestion -DatabasePath $db -QueryKey '   ' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,JobSignal.Cmdlets.Commands.InvokeOfferIngestionCommand'
    }

    It 'refuses -StrongSince without -Since, which would list every company as if it had filtered them' {
        $err = { Get-SignalCompany -DatabasePath $db -StrongSince } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'StrongSinceWithoutSince,JobSignal.Cmdlets.Commands.GetSignalCompanyCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be 'StrongSince'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-Since (Get-Date).AddDays(-7) -StrongSince*'
    }

    It 'lists an offer whose stored explanation is damaged, without its Match, and reports it (SignalExplanationInvalid)' {
        $damaged = Join-Path $dir 'damaged.db'
        $null = New-TestOffer 'd1' -Text $StrongText | Invoke-OfferIngestion -DatabasePath $damaged
        $id = (Get-SignalOffer -DatabasePath $damaged).OfferId
        $null = Invoke-TestSql $damaged "UPDATE matches SET explanation_json = '{`"score`": ' WHERE offer_id = $id"
        $offer = Get-SignalOffer -DatabasePath $damaged -ErrorVariable errs -ErrorAction SilentlyContinue
        $offer.ProviderOfferId | Should -Be 'd1'
        $offer.Match | Should -BeNullOrEmpty
        Get-ErrorIds $errs | Should -Be @('SignalExplanationInvalid')
        $errs[0].TargetObject | Should -Be $id
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -BeLike "Offer ${id}: The stored score explanation is not valid JSON*"
        $errs[0].ErrorDetails.RecommendedAction | Should -BeLike '*Update-OfferScore*'
        $null = Update-OfferScore -DatabasePath $damaged -OfferId $id
        (Get-SignalOffer -DatabasePath $damaged).Match.Score | Should -Be $offer.Score
    }

    It 'refuses an unknown category (CategoryUnknown, listing the valid ones) and an unknown resolution' {
        $failure = { Get-SignalCompany -DatabasePath $db -Category 'fx' -ErrorAction Stop } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -Be 'CategoryUnknown,JobSignal.Cmdlets.Commands.GetSignalCompanyCommand'
        $failure.Exception.Message | Should -BeLike '*cat_fx_currency_ops*'
        { Get-SignalOffer -DatabasePath $db -Category 'fx' -ErrorAction Stop } | Should -Throw -ErrorId 'CategoryUnknown,JobSignal.Cmdlets.Commands.GetSignalOfferCommand'
        $failure = { Get-SignalCompany -DatabasePath $db -Resolution 'MAYBE' } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
        $failure.Exception.Message | Should -BeLike '*PENDING,IN_PROGRESS,HIGH_INTEREST,ALREADY_CLIENT,ACCEPTED,REJECTED*'
    }
}

Describe 'Update-OfferScore' {
    BeforeEach {
        $script:dir = New-TestDirectory
        $script:db = Join-Path $dir 'jobsignal.db'
    }
    AfterEach { Remove-Item $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 're-scores with a new catalog as a rescore run and re-aggregates the companies' {
        $null = @(New-TestOffer '1' -Text $StrongText; New-TestOffer '2' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        $catalog = Join-Path $dir 'v9.json'
        $model = Get-Content $defaultCatalog -Raw | ConvertFrom-Json
        $model.version = '9.0.0'
        $model | ConvertTo-Json -Depth 20 | Set-Content $catalog

        Update-OfferScore -DatabasePath $db -All -CatalogPath $catalog -WhatIf | Should -BeNullOrEmpty
        [int] (Invoke-TestSql $db "SELECT count(*) FROM matches WHERE catalog_version = '9.0.0'") | Should -Be 0

        $run = Update-OfferScore -DatabasePath $db -All -CatalogPath $catalog -ChunkSize 1

        Assert-RunRecord $run $db -Kind rescore -Received 2 -Scored 2 -Aggregated 2 -CatalogVersion '9.0.0' | Out-Null
        [int] (Invoke-TestSql $db "SELECT count(*) FROM matches WHERE catalog_version = '9.0.0'") | Should -Be 2
        @(Get-SignalCompany -DatabasePath $db | Where-Object AggregatedAt).Count | Should -Be 2
    }

    It 'reports offer and company ids that name nothing in the store, and re-scores the others' {
        $run = @(New-TestOffer '1' -Text $StrongText; New-TestOffer '2' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        $offerId = (Get-SignalOffer -DatabasePath $db -Top 1).OfferId

        $rescore = Update-OfferScore -DatabasePath $db -OfferId $offerId, 9999 -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorIds $errs | Should -Be @('OfferNotFound')
        $errs[0].TargetObject | Should -Be 9999
        $rescore.Received, $rescore.Scored | Should -Be @(1, 1)

        # Nothing left to re-score: no run is recorded or emitted.
        $rescore = Update-OfferScore -DatabasePath $db -CompanyId 4242 -ErrorVariable errs -ErrorAction SilentlyContinue
        Get-ErrorIds $errs | Should -Be @('CompanyNotFound')
        $rescore | Should -BeNullOrEmpty
    }

    It 'warns of the runs of ended processes it marks abandoned' {
        $null = New-TestOffer '1' | Invoke-OfferIngestion -DatabasePath $db
        $left = New-LeftRunningRun $db

        $run = Update-OfferScore -DatabasePath $db -All -WarningVariable warnings -WarningAction SilentlyContinue

        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "Run $($left.RunId) was left running by a process that ended ($($left.Owner))*abandoned*"
        (Get-IngestionRun -DatabasePath $db -RunId $left.RunId).Status | Should -Be 'abandoned'
        Assert-RunRecord $run $db -Kind rescore -Received 1 -Scored 1 -Aggregated 1 | Out-Null
    }

    It 're-scores only the offers of piped companies' {
        $null = @(New-TestOffer '1'; New-TestOffer '2' -Company 'Beta') | Invoke-OfferIngestion -DatabasePath $db
        $run = Get-SignalCompany -DatabasePath $db -Name 'Beta' | Update-OfferScore -DatabasePath $db
        $run.Received | Should -Be 1
        $run.AffectedCompanyIds | Should -Be @((Get-SignalCompany -DatabasePath $db -Name 'Beta').CompanyId)
    }

    It 're-scores piped offers and ingestion results one by one, not their whole company; both id lists given are both re-scored' {
        $results = @(New-TestOffer '1'; New-TestOffer '2'; New-TestOffer '3'; New-TestOffer '4' -Company 'Beta'; [pscustomobject]@{ Title = 'Sin empresa' }) |
            Invoke-OfferIngestion -DatabasePath $db -PassThru
        $acme = @(Get-SignalOffer -DatabasePath $db | Where-Object CompanyName -EQ 'Acme Pagos S.L.')
        $beta = Get-SignalCompany -DatabasePath $db -Name 'Beta'

        $run = $acme[0] | Update-OfferScore -DatabasePath $db -ErrorVariable errs
        ($run.Received, $errs.Count) | Should -Be @(1, 0)
        # The documented repair: the offers left without a match, piped back; when there is none, nothing runs.
        $null = Invoke-TestSql $db "DELETE FROM matches WHERE offer_id = $($acme[1].OfferId)"
        $run = Get-SignalOffer -DatabasePath $db -Unscored | Update-OfferScore -DatabasePath $db -ErrorVariable errs
        ($run.Received, $run.Scored, $errs.Count) | Should -Be @(1, 1, 0)
        Get-SignalOffer -DatabasePath $db -Unscored | Update-OfferScore -DatabasePath $db -ErrorVariable errs | Should -BeNullOrEmpty
        $errs.Count | Should -Be 0
        # -PassThru results: the skipped offer names no offer and is passed over (the run record, left out here, would
        # add every offer of the companies it touched).
        $run = $results | Where-Object { $_.PSObject.Properties['Outcome'] } | Update-OfferScore -DatabasePath $db -ErrorVariable errs
        ($run.Received, $errs.Count) | Should -Be @(4, 0)

        $run = Update-OfferScore -DatabasePath $db -OfferId $acme[0].OfferId -CompanyId $beta.CompanyId
        $run.Received | Should -Be 2
        ($run.AffectedCompanyIds | Sort-Object) | Should -Be (@($acme[0].CompanyId, $beta.CompanyId) | Sort-Object)
    }
}
