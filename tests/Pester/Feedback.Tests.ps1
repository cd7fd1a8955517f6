# Get-SignalFeedback over what Import-CompanySheetFeedback stored from a fake Google Sheet.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    Add-Type -Path $env:JOBSIGNAL_TEST_FAKES

    $script:root = New-TestDirectory
    $script:google = [JobSignal.TestFakes.FakeGoogleServer]::new()
    $account = [JobSignal.TestFakes.FakeServiceAccount]::Create($google, (Join-Path $root 'account'), 'feedback@fake-project.iam.gserviceaccount.com')
    $script:db = Join-Path $root 'jobsignal.db'
    $null = Get-InfojobsOffer -Path (Get-RepoPath 'module/samples/infojobs-sample.jsonl') | Invoke-OfferIngestion -DatabasePath $db |
        Update-CompanyAggregation -DatabasePath $db
    $null = $google.AddSpreadsheet('feedback-sheet')
    $script:sheet = @{ SpreadsheetId = 'feedback-sheet'; CredentialPath = $account.KeyFilePath; BaseUri = $google.BaseUri; DatabasePath = $db }
    $null = Sync-CompanySheet @sheet

    # Rows 2 and 3 hold the two best companies: a rejection with a false positive, and a right signal.
    $tab = $google.Spreadsheet('feedback-sheet').Tab('Companies')
    $script:first = [long] $tab['A2']
    $script:second = [long] $tab['A3']
    $tab['C2'] = 'rejected'; $tab['L2'] = 'FP'; $tab['M2'] = 'Only domestic payments'
    $tab['L3'] = 'ok'; $tab['M3'] = 'Treasury team hiring'
    $null = Import-CompanySheetFeedback @sheet
}

AfterAll {
    $google.Dispose()
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-SignalFeedback' {
    It 'lists every event, oldest first, with its company, kind, value, notes and Sheet row' {
        $events = @(Get-SignalFeedback -DatabasePath $db)

        $events.Count | Should -Be 3
        $events[0].PSObject.TypeNames[0] | Should -Be 'JobSignal.FeedbackEvent'
        $rejected = $events | Where-Object Kind -EQ 'resolution'
        $rejected.CompanyId | Should -Be $first
        $rejected.Value | Should -Be 'REJECTED'
        $rejected.CompanyName | Should -Be (Get-SignalCompany -DatabasePath $db -CompanyId $first).Name
        $fp = $events | Where-Object Value -EQ 'FP'
        $fp.Notes | Should -Be 'Only domestic payments'
        $fp.SourceRow | Should -Be 2
        ($events | Where-Object Value -EQ 'OK').CompanyId | Should -Be $second
        $events.EventId | Should -Be @($events.EventId | Sort-Object)
    }

    It 'filters by kind, value in any case and date' {
        @(Get-SignalFeedback -DatabasePath $db -Kind ModelFeedback).Value | Sort-Object | Should -Be @('FP', 'OK')
        @(Get-SignalFeedback -DatabasePath $db -Kind Resolution).Value | Should -Be @('REJECTED')
        @(Get-SignalFeedback -DatabasePath $db -Value fp, fn).CompanyId | Should -Be @($first)
        @(Get-SignalFeedback -DatabasePath $db -Since (Get-Date).AddMinutes(-30)).Count | Should -Be 3
        @(Get-SignalFeedback -DatabasePath $db -Since (Get-Date).AddDays(1)).Count | Should -Be 0
    }

    It 'takes companies from the pipeline by CompanyId, and reports ids that name no company' {
        @(Get-SignalCompany -DatabasePath $db -CompanyId $second | Get-SignalFeedback -DatabasePath $db).Value | Should -Be @('OK')

        $events = @(Get-SignalFeedback -DatabasePath $db -CompanyId $first, 999999 -ErrorVariable problems -ErrorAction SilentlyContinue)

        $events.Count | Should -Be 2
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CompanyNotFound,*'
        $problems[0].TargetObject | Should -Be 999999
    }

    It 'shows a table with the company name and the notes' {
        $text = Get-SignalFeedback -DatabasePath $db -Value FP | Out-String -Width 120
        $text | Should -Match 'Company'
        $text | Should -Match 'Only domestic payments'
    }
}
