BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    Add-Type -Path $env:JOBSIGNAL_TEST_FAKES

    # One fake Google (token endpoint + Sheets) and one throw-away service account for the whole file.
    $script:root = New-TestDirectory
    $script:google = [JobSignal.TestFakes.FakeGoogleServer]::new()
    $script:account = [JobSignal.TestFakes.FakeServiceAccount]::Create($google, (Join-Path $root 'account'), 'pester@fake-project.iam.gserviceaccount.com')

    # JobSignal.Core lives in the module's private load context: reach its types through the loaded assembly.
    function Get-CoreType([string] $Name) {
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'JobSignal.Core' } | Select-Object -First 1
        $core.GetType($Name, $true)
    }

    function Use-Store([string] $Path, [scriptblock] $Script) {
        $null = Get-IngestionRun -DatabasePath $Path -WarningAction SilentlyContinue  # loads JobSignal.Core and creates the store
        $store = (Get-CoreType 'JobSignal.Core.Store.SignalStore')::Open($Path, $null)
        try { & $Script $store } finally { $store.Dispose() }
    }

    # A company with aggregated metrics, as ingestion + aggregation would have left it; returns its id.
    function Add-TestCompany([string] $Path, [string] $Name, [int] $Score, [string] $Resolution = 'PENDING') {
        Use-Store $Path {
            param($store)
            $identity = (Get-CoreType 'JobSignal.Core.Store.NewCompany')::new($Name, $Name.ToLowerInvariant(), [NullString]::Value, $false)
            $id = $store.Companies.Insert($identity, [DateTimeOffset]::UtcNow)
            $noCategories = [Array]::CreateInstance((Get-CoreType 'JobSignal.Core.Aggregation.CategoryMaxScore'), 0)
            $lastStrong = [DateTimeOffset]::new(2024, 5, 3, 9, 0, 0, [TimeSpan]::Zero)
            # MaxScore, OfferCount, UniqueOfferCount, StrongOfferCount, AvgStrongScore, TopOfferId, TopOfferUrl,
            # TopOfferCategory, CategoryMaxScores, LastStrongAt, FirstSeenAt, LastSeenAt, RecentOfferCount, EvidenceTerms
            $metrics = (Get-CoreType 'JobSignal.Core.Aggregation.CompanyMetrics')::new($Score, 3, 2, [int]($Score -ge 6),
                $null, $null, "https://www.infojobs.net/of-$id", 'cat_fx_currency_ops', $noCategories, $lastStrong,
                $null, $null, 0, [string[]]@('USD', 'SWIFT'))
            $null = $store.Companies.SaveMetrics($id, $metrics, [DateTimeOffset]::UtcNow)
            if ($Resolution -ne 'PENDING') { $null = $store.Companies.UpdateResolution($id, $Resolution, [DateTimeOffset]::UtcNow) }
            $id
        }
    }

    function Get-StoredResolution([string] $Path, [long] $CompanyId) {
        Use-Store $Path { param($store) $store.Companies.Get($CompanyId).Resolution }
    }

    # A fresh store and spreadsheet for one test; $sheet splats the parameters that reach them.
    function New-SheetTarget {
        $script:db = Join-Path (New-TestDirectory) 'jobsignal.db'
        $script:sheetId = 'pester-' + [guid]::NewGuid().ToString('n')
        $script:spreadsheet = $google.AddSpreadsheet($sheetId)
        $script:sheet = @{ SpreadsheetId = $sheetId; CredentialPath = $account.KeyFilePath; BaseUri = $google.BaseUri; DatabasePath = $db }
    }

    # Runs a -WhatIf command and returns its output and the "What if:" lines it wrote to the host (a transcript hears them).
    function Invoke-WhatIf([scriptblock] $Script) {
        $transcript = Join-Path (New-TestDirectory) 'whatif.txt'
        $null = Start-Transcript -Path $transcript
        try { $output = & $Script }
        finally { $null = Stop-Transcript }
        [pscustomobject]@{ Output = $output; WhatIf = @((Get-Content $transcript) -match '^What if:') }
    }

    function Get-StopErrorId([scriptblock] $Script) {
        try { & $Script; return '<no error>' }
        catch { return $_.FullyQualifiedErrorId }
    }
}

AfterAll {
    $google.Dispose()
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Sync-CompanySheet' {
    BeforeEach {
        New-SheetTarget
        $script:top = Add-TestCompany $db 'Top FX S.L.' 9
        $script:low = Add-TestCompany $db 'Low S.A.' 3 -Resolution 'REJECTED'
    }

    It 'creates the tab and writes every company of the store, best first, typed' {
        $result = Sync-CompanySheet @sheet
        $result.GetType().FullName | Should -Be 'JobSignal.Core.Sheets.SheetSyncResult'
        $result.PSObject.TypeNames | Should -Contain 'JobSignal.SheetSyncResult'
        $result.CreatedTab | Should -BeTrue
        $result.Appended | Should -Be 2
        $result.Requests | Should -Be 4
        $tab = $spreadsheet.Tab('Companies')
        $tab.Row(1)[0..3] | Should -Be @('ID Empresa', 'Empresa', 'Resolución', 'Score máx.')
        $tab['A2'] | Should -Be "$top"
        $tab['B2'] | Should -Be 'Top FX S.L.'
        $tab['D2'] | Should -Be 9
        $tab['I2'] | Should -Be 'FX & Currency Operations'
        $tab['J2'] | Should -Be 45415
        $tab.IsFormula('H2') | Should -BeTrue
        $tab['C3'] | Should -Be 'REJECTED'
        $tab.FrozenRowCount | Should -Be 1
    }

    It 'syncs only the companies piped in by CompanyId and reports unknown ids' {
        $result = @([pscustomobject]@{ CompanyId = $low }, [pscustomobject]@{ CompanyId = 424242 }) |
            Sync-CompanySheet @sheet -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.Appended | Should -Be 1
        @($spreadsheet.Tab('Companies').ColumnValues('A', 2)) | Should -Be @("$low")
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'CompanyNotFound,*'
        $errs[0].TargetObject | Should -Be 424242
    }

    It 'syncs the companies of an ingestion run piped in (its AffectedCompanyIds)' {
        $result = Get-InfojobsOffer -Path (Get-RepoPath 'module/samples/infojobs-sample.jsonl') | Invoke-OfferIngestion -DatabasePath $db |
            Sync-CompanySheet @sheet

        $run = Get-IngestionRun -DatabasePath $db -Last 1
        $run.AffectedCompanyIds.Count | Should -BeGreaterThan 2
        $result.Appended | Should -Be $run.AffectedCompanyIds.Count
        @($spreadsheet.Tab('Companies').ColumnValues('A') | Sort-Object { [long] $_ }) | Should -Be @($run.AffectedCompanyIds | Sort-Object | ForEach-Object { "$_" })
    }

    It 'syncs nothing when the pipeline brings no companies' {
        $result = @() | Sync-CompanySheet @sheet
        $result | Should -BeNullOrEmpty
        $google.Requests.Where({ $_.Path -like "*$sheetId*" }).Count | Should -Be 0
    }

    It 'writes nothing with -WhatIf and returns the plan' {
        $before = (Get-FileHash $db).Hash
        $result = Sync-CompanySheet @sheet -WhatIf
        (Get-FileHash $db).Hash | Should -Be $before
        $result.WhatIf | Should -BeTrue
        $result.Appended | Should -Be 2
        $spreadsheet.FindTab('Companies') | Should -BeNullOrEmpty
        $google.Requests.Where({ $_.Path -like "*$sheetId*" -and $_.Method -eq 'POST' }).Count | Should -Be 0

        $elsewhere = $sheet.Clone()
        $elsewhere.DatabasePath = Join-Path (Split-Path $db) 'never-created.db'
        (Sync-CompanySheet @elsewhere -WhatIf).Appended | Should -Be 0
        Test-Path $elsewhere.DatabasePath | Should -BeFalse
    }

    It 'says with -WhatIf what the plan would write, not how many companies it looked at' {
        $null = Sync-CompanySheet @sheet
        $spreadsheet.Tab('Companies')['B2'] = 'typed over by a rep'

        $run = Invoke-WhatIf { Sync-CompanySheet @sheet -WhatIf }

        $run.WhatIf | Should -Be "What if: Syncing tab 'Companies' of spreadsheet $sheetId`: appending 0 companies and updating 1 rows (1 cells); 1 rows unchanged."
        ($run.Output.Appended, $run.Output.Updated) | Should -Be @(0, 1)
        $spreadsheet.Tab('Companies')['B2'] | Should -Be 'typed over by a rep'
    }

    It 'tells each retry and its wait on the verbose stream' {
        $google.FailNext([JobSignal.TestFakes.FakeGoogleCall]::GetSpreadsheet, 429, 1, 0)   # Retry-After: 0, no real wait

        $verbose = Sync-CompanySheet @sheet -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        # Retry-After: 0 is no burst: the wait is the base back-off, and the line says why it is not what Google asked.
        $verbose.Message | Should -Contain "spreadsheets.get failed (SheetsRateLimited, 429): retry 1 of 5 in 1 s (Google's Retry-After asked 0 s; never less than the base back-off)."
    }

    It 'leaves rep edits alone and sends no writes when nothing changed' {
        $null = Sync-CompanySheet @sheet
        $tab = $spreadsheet.Tab('Companies')
        $tab['C2'] = 'HIGH_INTEREST'
        $tab['M2'] = 'Call on Monday'
        $tab['N2'] = 'Ana'
        $google.ClearRequests()
        $again = Sync-CompanySheet @sheet
        $again.Unchanged | Should -Be 2
        $again.Requests | Should -Be 2
        $google.Count([JobSignal.TestFakes.FakeGoogleCall]::ValuesAppend) + $google.Count([JobSignal.TestFakes.FakeGoogleCall]::ValuesBatchUpdate) | Should -Be 0
        $tab['C2'] | Should -Be 'HIGH_INTEREST'
        $tab['M2'] | Should -Be 'Call on Monday'
        $tab['N2'] | Should -Be 'Ana'
    }

    It 'takes the spreadsheet and key file from the environment' {
        $saved = $env:JOBSIGNAL_SPREADSHEET_ID, $env:GOOGLE_APPLICATION_CREDENTIALS
        try {
            $env:JOBSIGNAL_SPREADSHEET_ID = $sheetId
            $env:GOOGLE_APPLICATION_CREDENTIALS = $account.KeyFilePath
            (Sync-CompanySheet -BaseUri $google.BaseUri -DatabasePath $db -HeaderLanguage en).Appended | Should -Be 2
            $spreadsheet.Tab('Companies')['A1'] | Should -Be 'Company ID'

            $env:JOBSIGNAL_SPREADSHEET_ID = $null
            Get-StopErrorId { Sync-CompanySheet -DatabasePath $db -ErrorAction Stop } | Should -BeLike 'SheetsSpreadsheetNotConfigured,*'
            $env:JOBSIGNAL_SPREADSHEET_ID = $sheetId
            # A blank value given is refused, not replaced by the environment's.
            $failure = { Sync-CompanySheet -SpreadsheetId ' ' -DatabasePath $db } | Should -Throw -PassThru
            ($failure.FullyQualifiedErrorId, $failure.Exception.Message) | Should -Be @('SheetsSpreadsheetNotConfigured,JobSignal.Cmdlets.Commands.SyncCompanySheetCommand', '-SpreadsheetId is blank.')
            $env:GOOGLE_APPLICATION_CREDENTIALS = $null
            Get-StopErrorId { Sync-CompanySheet -DatabasePath $db -ErrorAction Stop } | Should -BeLike 'SheetsCredentialNotConfigured,*'
        }
        finally { $env:JOBSIGNAL_SPREADSHEET_ID, $env:GOOGLE_APPLICATION_CREDENTIALS = $saved }
    }

    It 'refuses a blank -SheetName of both cmdlets before any request, as it refuses a blank -SpreadsheetId' {
        foreach ($command in 'Sync-CompanySheet', 'Import-CompanySheetFeedback') {
            $failure = { & $command @sheet -SheetName ' ' } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'SheetsSheetNameInvalid,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.Exception.Message | Should -Be '-SheetName is blank.'
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Companies'
        }
        $google.Requests.Where({ $_.Path -like "*$sheetId*" }).Count | Should -Be 0
        $spreadsheet.Tabs.Count | Should -Be 0
    }

    It 'takes the Sheet URL pasted as -SpreadsheetId for its id, and refuses another URL before any request' {
        $result = Sync-CompanySheet @sheet -SpreadsheetId "https://docs.google.com/spreadsheets/d/$sheetId/edit#gid=0"
        $result.SpreadsheetId | Should -Be $sheetId
        $result.Appended | Should -Be 2
        $google.ClearRequests()
        $failure = { Sync-CompanySheet @sheet -SpreadsheetId 'https://example.com/d/x/edit' } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'SheetsSpreadsheetIdInvalid,*'
        $failure.TargetObject | Should -Be 'https://example.com/d/x/edit'
        $google.Requests.Count | Should -Be 0
    }

    It 'ends with the spreadsheet id as target when Google refuses it, and a refused write is SheetsPermissionDenied' {
        $missing = { Sync-CompanySheet @sheet -SpreadsheetId 'nope-123' } | Should -Throw -PassThru
        $missing.FullyQualifiedErrorId | Should -BeLike 'SheetsSpreadsheetNotFound,*'
        $missing.TargetObject | Should -Be 'nope-123'

        $null = Sync-CompanySheet @sheet
        $spreadsheet.Tab('Companies')['B2'] = 'edited by a rep'
        # A Viewer share: the read passes, the write is refused.
        $google.FailNext([JobSignal.TestFakes.FakeGoogleCall]::ValuesBatchUpdate, 403)  # once: never retried
        $denied = { Sync-CompanySheet @sheet -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $denied.FullyQualifiedErrorId | Should -BeLike 'SheetsPermissionDenied,*'
        $denied.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $denied.TargetObject | Should -Be $sheetId
        $denied.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($account.ClientEmail) + ' as Editor')
    }

    It 'plans again when a rep deletes a row right after the read, so that no cell lands on another company''s row' {
        $mid = Add-TestCompany $db 'Mid Pagos S.A.' 6
        $null = Sync-CompanySheet @sheet
        $tab = $spreadsheet.Tab('Companies')
        @($tab.ColumnValues('A')) | Should -Be @("$top", "$mid", "$low")
        $tab['B4'] = 'typed over by a rep'      # the next sync rewrites Low's name on row 4
        Add-Type -ReferencedAssemblies $env:JOBSIGNAL_TEST_FAKES -TypeDefinition @'
using JobSignal.TestFakes;
public static class RepDeletesARowMeanwhile {
    public static void After(FakeGoogleServer server, FakeSheetTab tab, int row) {
        var done = false;
        server.Answered += r => { if (!done && r.Call == FakeGoogleCall.ValuesBatchGet && r.Status == 200) { done = true; tab.DeleteRow(row); } };
    }
}
'@
        [RepDeletesARowMeanwhile]::After($google, $tab, 2)    # Top's row, right after the sync read the tab

        $output = Sync-CompanySheet @sheet -Verbose 4>&1
        $result = $output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }

        ($output.Message -match 'Rows moved') | Should -Be "Rows moved since the tab was read: row 4 no longer holds company '$low'. Planning again from a fresh read."
        $result.Errors | Should -BeNullOrEmpty
        ($result.Updated, $result.Appended) | Should -Be @(1, 1)
        2..4 | ForEach-Object { "$($tab["A$_"]) $($tab["B$_"])" } | Should -Be @("$mid Mid Pagos S.A.", "$low Low S.A.", "$top Top FX S.L.")
        $tab.LastDataRow | Should -Be 4
    }

    It 'gives every error about the Sheet the spreadsheet id as target: rows not written, a failed read, a foreign header, a missing tab' {
        $null = Sync-CompanySheet @sheet
        $tab = $spreadsheet.Tab('Companies')
        $tab['B2'] = 'typed over by a rep'
        $google.FailNext([JobSignal.TestFakes.FakeGoogleCall]::ValuesBatchUpdate, 500, 6, 0)   # the attempt and its 5 retries; Retry-After: 0, no real waits
        $null = Sync-CompanySheet @sheet -ErrorVariable writeFailed -ErrorAction SilentlyContinue
        $google.FailNext([JobSignal.TestFakes.FakeGoogleCall]::ValuesBatchGet, 500, 6, 0)
        $readFailed = { Sync-CompanySheet @sheet } | Should -Throw -PassThru
        $tab['A1'] = 'Id'
        $header = { Sync-CompanySheet @sheet } | Should -Throw -PassThru
        $noTab = { Import-CompanySheetFeedback @sheet -SheetName 'Nope' } | Should -Throw -PassThru

        @($writeFailed; $readFailed; $header; $noTab) | ForEach-Object { "$($_.FullyQualifiedErrorId.Split(',')[0]) $($_.TargetObject)" } |
            Should -Be @("SheetsWriteFailed $sheetId", "SheetsReadFailed $sheetId", "SheetsHeaderMismatch $sheetId", "SheetsTabNotFound $sheetId")
    }

    It 'ends with SheetsRequestRejected and what to do when Google rejects a write for good, promising no next sync' {
        $google.FailNext([JobSignal.TestFakes.FakeGoogleCall]::ValuesAppend, 400)

        $failure = { Sync-CompanySheet @sheet } | Should -Throw -PassThru

        $failure.FullyQualifiedErrorId | Should -BeLike 'SheetsRequestRejected,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be $sheetId
        $failure.Exception.Message | Should -BeLike 'The sync stopped: 2 companies were not appended: Google Sheets answered 400 INVALID_ARGUMENT to values.append: *'
        $failure.Exception.Message | Should -Not -Match 'next sync'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'running the command again unchanged fails the same way'
    }

    It 'widens a tab a rep made narrower than the 13 columns it writes, then fills it' {
        $narrow = $spreadsheet.AddTab('Narrow', $null, 10)

        $result = Sync-CompanySheet @sheet -SheetName Narrow

        $result.Appended | Should -Be 2
        $narrow.ColumnCount | Should -Be 13
        $narrow['M1'] | Should -Be 'Notas Modelo'
        $narrow['A2'] | Should -Be "$top"
    }

    It 'says a folder given as the key file is a folder' {
        $failure = { Sync-CompanySheet @sheet -CredentialPath $root } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'SheetsCredentialNotFound,*'
        $failure.Exception.Message | Should -Be "'$root' is a folder, not a service-account key file."
    }

    It 'stops with SheetsHeaderMismatch on a foreign header and writes nothing' {
        $tab = $spreadsheet.AddTab('Companies')
        $tab.SetRow(1, [object[]]@('Id', 'Name'))
        $err = Get-StopErrorId { Sync-CompanySheet @sheet -ErrorAction Stop }
        $err | Should -BeLike 'SheetsHeaderMismatch,*'
        $tab.LastDataRow | Should -Be 1
    }

    It 'stops with SheetsCredentialInvalid on a broken key file, without key material in the error' {
        $bad = Join-Path $root 'broken.json'
        Set-Content $bad ($account.KeyJson -replace '"type": "service_account"', '"type": "authorized_user"')
        try { Sync-CompanySheet @sheet -CredentialPath $bad -ErrorAction Stop }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'SheetsCredentialInvalid,*'
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $text = ($caught | Out-String) + $caught.ErrorDetails.RecommendedAction
        foreach ($line in @($account.PrivateKeyLines | Where-Object Length -GE 24)) { $text | Should -Not -Match ([regex]::Escape($line)) }
    }

    It 'tells each step on the verbose stream and shows a table that fits 120 columns' {
        $verbose = Sync-CompanySheet @sheet -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'Plan: 2 to append'
        ($verbose.Message -join "`n") | Should -Match 'Using the service account pester@'
        $table = Sync-CompanySheet @sheet | Format-Table | Out-String -Width 120
        $table | Should -Match 'Appended\s+Updated\s+Unchanged'
        ($table -split "`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
    }
}

Describe 'Import-CompanySheetFeedback' {
    BeforeEach {
        New-SheetTarget
        $script:a = Add-TestCompany $db 'Alpha' 9
        $script:b = Add-TestCompany $db 'Beta' 7 -Resolution 'ACCEPTED'
        $null = Sync-CompanySheet @sheet
        $script:tab = $spreadsheet.Tab('Companies')
    }

    It 'applies the reps'' resolution and feedback in one go, and a second import changes nothing' {
        $tab['C2'] = ' rejected '
        $tab['L2'] = 'fp'
        $tab['M2'] = 'Only domestic'
        $tab['C3'] = 'in_progress'
        $result = Import-CompanySheetFeedback @sheet
        $result.GetType().FullName | Should -Be 'JobSignal.Core.Sheets.SheetFeedbackResult'
        $result.ResolutionsChanged | Should -Be 2
        $result.Frozen | Should -Be 1
        $result.Resumed | Should -Be 1
        $result.FeedbackAdded | Should -Be 1
        @($result.CompanyIds | Sort-Object) | Should -Be @($a, $b)
        Get-StoredResolution $db $a | Should -Be 'REJECTED'
        Get-StoredResolution $db $b | Should -Be 'IN_PROGRESS'
        # The changed companies go on to aggregation, from the result itself or as bare ids.
        @($result | Update-CompanyAggregation -DatabasePath $db -ErrorVariable errs).CompanyId | Sort-Object | Should -Be @($a, $b)
        @($result.CompanyIds | Update-CompanyAggregation -DatabasePath $db -ErrorVariable more).Resolution | Sort-Object | Should -Be @('IN_PROGRESS', 'REJECTED')
        $errs.Count + $more.Count | Should -Be 0

        $again = Import-CompanySheetFeedback @sheet
        $again.ResolutionsChanged + $again.FeedbackAdded | Should -Be 0
        $again.Unchanged | Should -Be 2
    }

    It 'pipes its result to Get-SignalFeedback: what the reps said about the companies whose resolution changed' {
        $tab['C2'] = 'REJECTED'
        $tab['L2'] = 'FP'
        $tab['M2'] = 'Domestic only'
        $tab['L3'] = 'OK'            # Beta: feedback, but no resolution change

        $events = @(Import-CompanySheetFeedback @sheet | Get-SignalFeedback -DatabasePath $db)

        $events | ForEach-Object { "$($_.CompanyId) $($_.Kind) $($_.Value) $($_.Notes)" } |
            Should -Be @("$a Resolution REJECTED ", "$a ModelFeedback FP Domestic only")
        # An import that changed no resolution pipes an empty list: no events, no error.
        @(Import-CompanySheetFeedback @sheet | Get-SignalFeedback -DatabasePath $db -ErrorAction Stop) | Should -BeNullOrEmpty
    }

    It 'pipes its result (CompanyIds) to every cmdlet that takes company ids: the companies whose resolution changed' {
        # Companies with offers: the sample ingested and synced below Alpha and Beta; a rep sets two resolutions.
        $null = Get-InfojobsOffer -Path (Get-RepoPath 'module/samples/infojobs-sample.jsonl') | Invoke-OfferIngestion -DatabasePath $db |
            Update-CompanyAggregation -DatabasePath $db
        $null = Sync-CompanySheet @sheet
        $changed = @([long] $tab['A4'], [long] $tab['A5']) | Sort-Object
        $tab['C4'] = 'HIGH_INTEREST'
        $tab['C5'] = 'IN_PROGRESS'
        $result = Import-CompanySheetFeedback @sheet
        @($result.CompanyIds | Sort-Object) | Should -Be $changed

        @($result | Get-SignalCompany -DatabasePath $db -ErrorAction Stop).Resolution | Sort-Object | Should -Be @('HIGH_INTEREST', 'IN_PROGRESS')
        $offers = @($result | Get-SignalOffer -DatabasePath $db -ErrorAction Stop)
        $offers.Count | Should -BeGreaterThan 1
        @($offers.CompanyId | Sort-Object -Unique) | Should -Be $changed
        @(($result | Update-OfferScore -DatabasePath $db -ErrorAction Stop).AffectedCompanyIds | Sort-Object) | Should -Be $changed
        $sync = $result | Sync-CompanySheet @sheet -ErrorAction Stop
        $sync.Updated + $sync.Unchanged | Should -Be 2
        @(($result | Get-SignalFeedback -DatabasePath $db -ErrorAction Stop).CompanyId | Sort-Object) | Should -Be $changed
    }

    It 'pipes an import that changed no resolution to Update-CompanyAggregation as a clean no-op' {
        $result = Import-CompanySheetFeedback @sheet
        $result.CompanyIds.Count | Should -Be 0
        $out = $result | Update-CompanyAggregation -DatabasePath $db -ErrorVariable errs -ErrorAction Stop
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 0
        # The same for an explicit empty list (documented as a no-op).
        Update-CompanyAggregation -DatabasePath $db -CompanyId @() -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'returns the plan with -WhatIf and leaves the store as it was' {
        $tab['C2'] = 'ALREADY_CLIENT'
        $before = (Get-FileHash $db).Hash
        $plan = Import-CompanySheetFeedback @sheet -WhatIf
        (Get-FileHash $db).Hash | Should -Be $before
        $plan.WhatIf | Should -BeTrue
        $plan.Changes[0].To | Should -Be 'ALREADY_CLIENT'
        "$($plan.Changes[0].Transition)" | Should -Be 'ActiveToFinal'
        Get-StoredResolution $db $a | Should -Be 'PENDING'

        # A mistyped -DatabasePath: no company of the Sheet is in that store, so even the plan is refused.
        $elsewhere = $sheet.Clone()
        $elsewhere.DatabasePath = Join-Path (Split-Path $db) 'never-created.db'
        Get-StopErrorId { Import-CompanySheetFeedback @elsewhere -WhatIf -ErrorAction Stop } | Should -BeLike 'SheetsStoreMismatch,*'
        Test-Path $elsewhere.DatabasePath | Should -BeFalse
    }

    It 'names the store the user gave, not its private dry-run copy, in -WhatIf messages and errors' {
        $tab['C2'] = 'REJECTED'
        # A mistyped -DatabasePath: -WhatIf works on an empty private copy, and refuses the Sheet.
        $typo = Join-Path (Split-Path $db) 'jobsingal.db'
        foreach ($command in 'Sync-CompanySheet', 'Import-CompanySheetFeedback') {
            $failure = { & $command @sheet -DatabasePath $typo -WhatIf } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'SheetsStoreMismatch,*'
            $failure.Exception.Message | Should -BeLike "Tab 'Companies' of spreadsheet $sheetId was not written from the store $typo`: *"
        }
        Test-Path $typo | Should -BeFalse

        # A store with a write-ahead log beside it (another connection has it open) is read through a copy too.
        $connection = (Get-PrivateType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$db;Pooling=False")
        try {
            $connection.Open()
            $command = $connection.CreateCommand()
            $command.CommandText = 'PRAGMA wal_autocheckpoint = 0; CREATE TABLE other_tool (x); INSERT INTO other_tool VALUES (1);'
            $null = $command.ExecuteNonQuery()
            Test-Path "$db-wal" | Should -BeTrue
            $run = Invoke-WhatIf { Import-CompanySheetFeedback @sheet -WhatIf }
        }
        finally { $connection.Dispose() }
        $run.Output.ResolutionsChanged | Should -Be 1
        $run.WhatIf | Should -Be "What if: Applying 1 resolution changes and 0 feedback events to store $db."
    }

    It 'warns about unknown values and unknown companies, naming their rows' {
        $tab['C2'] = 'MAYBE'
        $tab.SetRow(5, [object[]]@('999999', 'Ghost', 'REJECTED'))
        $result = Import-CompanySheetFeedback @sheet -WarningVariable warnings -WarningAction SilentlyContinue
        $result.UnknownCompanies | Should -Be 1
        ($warnings -join "`n") | Should -Match "Row 2: unknown resolution 'MAYBE'"
        ($warnings -join "`n") | Should -Match "Row 5: company '999999' is not in the store"
        Get-StoredResolution $db $a | Should -Be 'PENDING'
    }

    It 'warns about a row whose company id a rep cleared, and the next sync writes the id back instead of a duplicate row' {
        $tab['A3'] = $null   # Beta's row
        $tab['C3'] = 'REJECTED'
        $tab['M3'] = 'Not interested'
        $result = Import-CompanySheetFeedback @sheet -WarningVariable warnings -WarningAction SilentlyContinue
        $result.ResolutionsChanged | Should -Be 0
        ($warnings -join "`n") | Should -Match "Row 3 \('Beta'\) has a resolution, model feedback or notes but no company id"

        $sync = Sync-CompanySheet @sheet -WarningVariable syncWarnings -WarningAction SilentlyContinue
        $sync.Appended | Should -Be 0
        ($syncWarnings -join "`n") | Should -Match "Row 3 had no company id; its name is that of company '$b'"
        $tab['A3'] | Should -Be "$b"
        $tab.LastDataRow | Should -Be 3

        (Import-CompanySheetFeedback @sheet).ResolutionsChanged | Should -Be 1
        Get-StoredResolution $db $b | Should -Be 'REJECTED'
    }

    It 'refuses with SheetsStoreMismatch to sync or import a Sheet written from another store, and writes nothing to either' {
        $tab['C2'] = 'REJECTED'                        # Alpha's row
        $tab['M2'] = 'Not interested: domestic only'
        # The same companies in another store, created in the other order: id 1 is Beta there.
        $rebuilt = $sheet.Clone()
        $rebuilt.DatabasePath = Join-Path (New-TestDirectory) 'rebuilt.db'
        $otherB = Add-TestCompany $rebuilt.DatabasePath 'Beta' 7
        $otherA = Add-TestCompany $rebuilt.DatabasePath 'Alpha' 9
        $otherB | Should -Be $a
        $google.ClearRequests()

        $sync = { Sync-CompanySheet @rebuilt } | Should -Throw -PassThru
        $sync.FullyQualifiedErrorId | Should -BeLike 'SheetsStoreMismatch,*'
        $sync.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $sync.TargetObject | Should -Be $sheetId
        $sync.Exception.Message | Should -Match ([regex]::Escape("Tab 'Companies' of spreadsheet $sheetId was not written from the store $($rebuilt.DatabasePath)"))
        $sync.Exception.Message | Should -Match "row 2: id $a is 'Alpha' in the Sheet but 'Beta' in the store"
        $sync.ErrorDetails.RecommendedAction | Should -Match 'DatabasePath.*JOBSIGNAL_DB.*-SheetName'
        # Piping the other store's companies in is checked against all its companies alike.
        Get-StopErrorId { Get-SignalCompany -DatabasePath $rebuilt.DatabasePath | Select-Object -First 1 | Sync-CompanySheet @rebuilt -ErrorAction Stop } |
            Should -BeLike 'SheetsStoreMismatch,*'
        $import = { Import-CompanySheetFeedback @rebuilt } | Should -Throw -PassThru
        $import.FullyQualifiedErrorId | Should -BeLike 'SheetsStoreMismatch,*'

        $google.Requests | Where-Object { $_.Method -eq 'POST' -and $_.Call -ne 'Token' } | Should -BeNullOrEmpty
        ($tab['A2'], $tab['B2'], $tab['C2'], $tab['M2']) | Should -Be @("$a", 'Alpha', 'REJECTED', 'Not interested: domestic only')
        Get-StoredResolution $rebuilt.DatabasePath $otherB | Should -Be 'PENDING'

        # Shown on purpose from the other store: a new tab, its own rows and feedback; the first tab stays the first store's.
        (Sync-CompanySheet @rebuilt -SheetName 'Rebuilt').Appended | Should -Be 2
        (Import-CompanySheetFeedback @rebuilt -SheetName 'Rebuilt').ResolutionsChanged | Should -Be 0
        (Import-CompanySheetFeedback @sheet).Frozen | Should -Be 1
        Get-StoredResolution $db $a | Should -Be 'REJECTED'
        Get-StoredResolution $rebuilt.DatabasePath $otherA | Should -Be 'PENDING'
    }

    It 'stores the notes as the rep sees them, not the numbers Google parsed them into' {
        # What Google keeps when a rep types into an es-ES Sheet: a date and a percentage become numbers.
        $tab['L2'] = 'FN'; $tab.SetFormatted('M2', 45820, '12/06/2025')
        $tab['L3'] = 'FP'; $tab.SetFormatted('M3', 0.5, '50%')

        $null = Import-CompanySheetFeedback @sheet

        $events = @(Get-SignalFeedback -DatabasePath $db -Kind ModelFeedback | Sort-Object SourceRow)
        $events | ForEach-Object { "$($_.CompanyId) $($_.Value) $($_.Notes)" } | Should -Be @("$a FN 12/06/2025", "$b FP 50%")
    }

    It 'ends with FeedbackImportFailed naming the store when the store refuses the write, and applies nothing' {
        $tab['C2'] = 'REJECTED'
        $tab['L2'] = 'FP'
        Invoke-TestSql $db "CREATE TRIGGER refuse BEFORE INSERT ON feedback_events WHEN NEW.kind = 'model_feedback' BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END" | Out-Null

        $failure = { Import-CompanySheetFeedback @sheet } | Should -Throw -PassThru

        $failure.FullyQualifiedErrorId | Should -BeLike 'FeedbackImportFailed,*'
        $failure.CategoryInfo.Category | Should -Be 'WriteError'
        $failure.TargetObject | Should -Be $db
        $failure.Exception.Message | Should -Match 'refused by a test trigger'
        $failure.Exception.Message | Should -Match 'Nothing was applied: the 1 resolution changes and 1 feedback events stay in the Sheet'
        $failure.ErrorDetails.RecommendedAction | Should -Match 'Import-CompanySheetFeedback again'
        Get-StoredResolution $db $a | Should -Be 'PENDING'
        Invoke-TestSql $db 'SELECT count(*) FROM feedback_events' | Should -Be 0
    }

    It 'ends the sync and the import with StoreDamaged naming the store when its file is damaged, writing nothing' {
        $tab['C2'] = 'REJECTED'
        Set-DamagedTable $db 'companies'
        $google.ClearRequests()

        foreach ($command in 'Sync-CompanySheet', 'Import-CompanySheetFeedback') {
            $failure = { & $command @sheet } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'StoreDamaged,*'
            $failure.TargetObject | Should -Be $db
            $failure.Exception.Message | Should -Match 'Nothing was changed'
            $failure.ErrorDetails.RecommendedAction | Should -Match 'backup'
        }
        $google.Requests | Where-Object { $_.Method -eq 'POST' -and $_.Call -ne 'Token' } | Should -BeNullOrEmpty
    }

    It 'stops with SheetsTabNotFound when the tab does not exist' {
        Get-StopErrorId { Import-CompanySheetFeedback @sheet -SheetName 'Nope' -ErrorAction Stop } | Should -BeLike 'SheetsTabNotFound,*'
    }
}

Describe 'Get-SignalFeedback' {
    BeforeAll {
        # Over what Import-CompanySheetFeedback stored: the module's sample ingested, synced, and two rows marked.
        $script:fbDb = Join-Path (New-TestDirectory) 'jobsignal.db'
        $null = Get-InfojobsOffer -Path (Get-RepoPath 'module/samples/infojobs-sample.jsonl') | Invoke-OfferIngestion -DatabasePath $fbDb |
            Update-CompanyAggregation -DatabasePath $fbDb
        $null = $google.AddSpreadsheet('feedback-sheet')
        $script:fbSheet = @{ SpreadsheetId = 'feedback-sheet'; CredentialPath = $account.KeyFilePath; BaseUri = $google.BaseUri; DatabasePath = $fbDb }
        $null = Sync-CompanySheet @fbSheet

        # Rows 2 and 3 hold the two best companies: a rejection with a false positive, and a right signal.
        $tab = $google.Spreadsheet('feedback-sheet').Tab('Companies')
        $script:first = [long] $tab['A2']
        $script:second = [long] $tab['A3']
        $tab['C2'] = 'rejected'; $tab['L2'] = 'FP'; $tab['M2'] = 'Only domestic payments'
        $tab['L3'] = 'ok'; $tab['M3'] = 'Treasury team hiring'
        $null = Import-CompanySheetFeedback @fbSheet
    }

    It 'lists every event, oldest first, with its company, kind, value, notes and Sheet row' {
        $events = @(Get-SignalFeedback -DatabasePath $fbDb)

        $events.Count | Should -Be 3
        $events[0].PSObject.TypeNames[0] | Should -Be 'JobSignal.FeedbackEvent'
        $rejected = $events | Where-Object Kind -EQ 'resolution'
        $rejected.CompanyId | Should -Be $first
        $rejected.Value | Should -Be 'REJECTED'
        $rejected.CompanyName | Should -Be (Get-SignalCompany -DatabasePath $fbDb -CompanyId $first).Name
        $fp = $events | Where-Object Value -EQ 'FP'
        $fp.Notes | Should -Be 'Only domestic payments'
        $fp.SourceRow | Should -Be 2
        ($events | Where-Object Value -EQ 'OK').CompanyId | Should -Be $second
        $events.EventId | Should -Be @($events.EventId | Sort-Object)
    }

    It 'filters by kind, value in any case and date' {
        @(Get-SignalFeedback -DatabasePath $fbDb -Kind ModelFeedback).Value | Sort-Object | Should -Be @('FP', 'OK')
        @(Get-SignalFeedback -DatabasePath $fbDb -Kind Resolution).Value | Should -Be @('REJECTED')
        @(Get-SignalFeedback -DatabasePath $fbDb -Kind resolution).Value | Should -Be @('REJECTED')
        @(Get-SignalFeedback -DatabasePath $fbDb -Kind MODELFEEDBACK).Value | Sort-Object | Should -Be @('FP', 'OK')
        @(Get-SignalFeedback -DatabasePath $fbDb -Value fp, fn).CompanyId | Should -Be @($first)
        { Get-SignalFeedback -DatabasePath $fbDb -Value bogus } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        $line = 'Get-SignalFeedback -Value F'
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Sort-Object | Should -Be @('FN', 'FP')
        @(Get-SignalFeedback -DatabasePath $fbDb -Since (Get-Date).AddMinutes(-30)).Count | Should -Be 3
        @(Get-SignalFeedback -DatabasePath $fbDb -Since (Get-Date).AddDays(1)).Count | Should -Be 0
    }

    It 'shows each event''s Kind by the name -Kind takes, so that a value from the output filters both ways; the store''s codes are taken too' {
        $events = @(Get-SignalFeedback -DatabasePath $fbDb)
        @($events.Kind | ForEach-Object { "$_" } | Sort-Object -Unique) | Should -Be @('ModelFeedback', 'Resolution')
        foreach ($kind in 'ModelFeedback', 'Resolution') {
            $byParameter = @(Get-SignalFeedback -DatabasePath $fbDb -Kind $kind).EventId
            $byParameter.Count | Should -BeGreaterThan 0
            @($events | Where-Object Kind -EQ $kind).EventId | Should -Be $byParameter
            @($events | ConvertTo-Csv | ConvertFrom-Csv | Where-Object Kind -EQ $kind).EventId | Should -Be $byParameter
        }
        # The codes the store keeps (and earlier versions showed) still work as -Kind.
        @(Get-SignalFeedback -DatabasePath $fbDb -Kind model_feedback).Value | Sort-Object | Should -Be @('FP', 'OK')
        { Get-SignalFeedback -DatabasePath $fbDb -Kind vote } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        $line = 'Get-SignalFeedback -Kind '
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText) | Sort-Object | Should -Be @('ModelFeedback', 'Resolution')
    }

    It 'takes companies from the pipeline by CompanyId, and reports ids that name no company' {
        @(Get-SignalCompany -DatabasePath $fbDb -CompanyId $second | Get-SignalFeedback -DatabasePath $fbDb).Value | Should -Be @('OK')
        # Each event once, however many piped objects name its company.
        $offers = @(Get-SignalOffer -DatabasePath $fbDb -CompanyId $first)
        $offers.Count | Should -BeGreaterThan 1
        @($offers | Get-SignalFeedback -DatabasePath $fbDb).EventId | Should -Be @(Get-SignalFeedback -DatabasePath $fbDb -CompanyId $first).EventId

        $events = @(Get-SignalFeedback -DatabasePath $fbDb -CompanyId $first, 999999 -ErrorVariable problems -ErrorAction SilentlyContinue)

        $events.Count | Should -Be 2
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CompanyNotFound,*'
        $problems[0].TargetObject | Should -Be 999999
    }

    It 'shows a table with the company name and the notes' {
        $text = Get-SignalFeedback -DatabasePath $fbDb -Value FP | Out-String -Width 120
        $text | Should -Match 'Company'
        $text | Should -Match 'Only domestic payments'
    }
}
