# The scheduled pipeline against the loopback fakes (InfoJobs + Google), in-process and as a real child process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    Add-Type -Path $env:JOBSIGNAL_TEST_FAKES

    $script:root = New-TestDirectory
    $script:sample = Get-RepoPath 'module/samples/infojobs-sample.jsonl'
    $script:google = [JobSignal.TestFakes.FakeGoogleServer]::new()
    $script:account = [JobSignal.TestFakes.FakeServiceAccount]::Create($google, (Join-Path $root 'account'), 'pipeline@fake-project.iam.gserviceaccount.com')
    $script:pwsh = @($env:JOBSIGNAL_TEST_PWSH -split [IO.Path]::PathSeparator)
    $script:entryScript = Join-Path (Split-Path $env:JOBSIGNAL_TEST_MODULE -Parent) 'module/scripts/Start-JobSignalPipeline.ps1'
    $env:INFOJOBS_CLIENT_ID = [JobSignal.TestFakes.FakeInfojobsServer]::DefaultClientId
    $env:INFOJOBS_CLIENT_SECRET = [JobSignal.TestFakes.FakeInfojobsServer]::DefaultClientSecret

    # A fresh folder with a fake InfoJobs serving the sample, a spreadsheet and a config naming both.
    function New-PipelineSetup([string] $FailingQuery = 'broken', [int] $LatencyMs = 0) {
        $dir = New-TestDirectory
        $infojobs = [JobSignal.TestFakes.FakeInfojobsServer]::new()
        $infojobs.AddOffersFromJsonLines($sample)
        $infojobs.FailingQuery = $FailingQuery
        $infojobs.Latency = [TimeSpan]::FromMilliseconds($LatencyMs)
        $sheetId = 'pipeline-' + [guid]::NewGuid().ToString('n')
        $null = $google.AddSpreadsheet($sheetId)
        $config = Join-Path $dir 'jobsignal.config.psd1'
        @"
@{
    DatabasePath = 'store/jobsignal.db'
    Infojobs     = @{ BaseUri = '$($infojobs.BaseUri)'; DetailConcurrency = 4 }
    Queries      = @(
        @{ Key = 'everything'; MaxPages = 10; MaxOffers = 200 }
        @{ Key = 'broken-query'; Query = 'broken'; MaxPages = 2 }
    )
    Sheet        = @{ SpreadsheetId = '$sheetId'; CredentialPath = '$($account.KeyFilePath)'; BaseUri = '$($google.BaseUri)' }
    Lock         = @{ TtlMinutes = 30 }
}
"@ | Set-Content $config
        [pscustomobject]@{ Dir = $dir; Config = $config; Db = Join-Path $dir 'store/jobsignal.db'; Infojobs = $infojobs; SheetId = $sheetId }
    }

    function Start-ChildPipeline($Setup, [string[]] $Extra = @()) {
        $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($a in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $entryScript, '-ConfigPath', $Setup.Config) + $Extra) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($info)
        $process.StandardInput.Close()   # no console to answer a prompt: the pipeline must never ask
        $process
    }
}

AfterAll {
    $google.Dispose()
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-JobSignalPipeline' {
    It 'runs every stage although one query fails with 500s, records the failure and exits non-zero' {
        $setup = New-PipelineSetup
        try {
            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $summary.PSObject.TypeNames | Should -Contain 'JobSignal.PipelineSummary'
            $summary.Status | Should -Be 'failed'
            $summary.ExitCode | Should -Be 1
            $good = $summary.Queries | Where-Object QueryKey -EQ 'everything'
            $bad = $summary.Queries | Where-Object QueryKey -EQ 'broken-query'
            "$($good.Status)" | Should -Be 'Succeeded'
            $good.OffersReceived | Should -BeGreaterThan 100
            "$($bad.Status)" | Should -Be 'Failed'
            $bad.Error | Should -Match 'InfojobsRequestFailed'
            foreach ($stage in 'aggregate', 'sync', 'feedback') {
                "$(($summary.Stages | Where-Object Stage -EQ $stage).Status)" | Should -Be 'Succeeded' -Because "the $stage stage runs in its own error domain"
            }
            $queryFailed = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'PipelineQueryFailed,*' })
            $queryFailed.Count | Should -Be 1
            # The cause's category (InfoJobs unreachable), so that scripts tell an outage from an auth or store problem.
            $queryFailed[0].CategoryInfo.Category | Should -Be 'ConnectionError'

            # Per-query state, the runs carry their query key, and the result reached the store and the Sheet.
            $states = Get-JobSignalQueryState -DatabasePath $setup.Db
            ($states | Where-Object QueryKey -EQ 'broken-query').ConsecutiveFailures | Should -Be 1
            ($states | Where-Object QueryKey -EQ 'broken-query').LastError | Should -Match '500'
            ($states | Where-Object QueryKey -EQ 'everything').LastSuccessAt | Should -Not -BeNullOrEmpty
            $run = Get-IngestionRun -DatabasePath $setup.Db -RunId $good.RunId
            $run.QueryKey | Should -Be 'everything'
            $run.Status | Should -Be 'success'
            $run.Requests | Should -BeGreaterThan 0
            # The failed query's run is found among the failed runs, with the reason, as the README sends operators there.
            $badRun = Get-IngestionRun -DatabasePath $setup.Db -Status failed
            $badRun.RunId | Should -Be $bad.RunId
            $badRun.QueryKey | Should -Be 'broken-query'
            $badRun.ErrorMessage | Should -Be $bad.Error
            $badRun.FinishedAt | Should -Not -BeNullOrEmpty
            $companies = @(Get-SignalCompany -DatabasePath $setup.Db)
            $companies.Count | Should -BeGreaterThan 10
            ($companies | Measure-Object MaxScore -Maximum).Maximum | Should -BeGreaterOrEqual 6
            $tab = $google.Spreadsheet($setup.SheetId).Tab('Companies')
            $tab['A1'] | Should -Be 'ID Empresa'
            [string] $tab['A2'] | Should -Be ([string] $companies[0].CompanyId)
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'fetches incrementally from the last success on the next run' {
        $setup = New-PipelineSetup
        try {
            $null = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $setup.Infojobs.ClearRequests()
            $second = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            ($second.Queries | Where-Object QueryKey -EQ 'everything').Since | Should -Be '_24_HOURS'
            $lists = @($setup.Infojobs.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::List) | Where-Object { -not $_.Value('q') })
            $lists.Count | Should -BeGreaterThan 0
            $lists | ForEach-Object { $_.Value('sinceDate') | Should -Be '_24_HOURS' }
            # The query that never succeeded still fetches everything.
            ($second.Queries | Where-Object QueryKey -EQ 'broken-query').Since | Should -BeNullOrEmpty
            (Get-JobSignalQueryState -DatabasePath $setup.Db -QueryKey 'broken-*').ConsecutiveFailures | Should -Be 2
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'fails a query whose details are still rate-limited after the retries, and asks for the same window next time' {
        $setup = New-PipelineSetup
        try {
            $setup.Infojobs.FaultEndpoint = 'Detail'
            $setup.Infojobs.FaultsAfter = 5
            $setup.Infojobs.RateLimitCount = 100000
            $setup.Infojobs.RetryAfterSeconds = 0

            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $summary.ExitCode | Should -Be 1
            $query = $summary.Queries | Where-Object QueryKey -EQ 'everything'
            "$($query.Status)" | Should -Be 'Failed'
            $query.Error | Should -Match 'InfojobsRateLimited'
            # Five details pass before the 429s start; with four in flight, not always the first five in list order
            # (under load even the first offer's may be the sixth request: then none is delivered).
            $query.OffersReceived | Should -BeIn (0..5)
            $queryFailed = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'PipelineQueryFailed,*' -and $_.TargetObject -eq 'everything' })
            $queryFailed.Count | Should -Be 1
            $queryFailed[0].ErrorDetails.RecommendedAction | Should -BeLike "*Get-IngestionRun -RunId $($query.RunId) *"
            $run = Get-IngestionRun -DatabasePath $setup.Db -RunId $query.RunId
            $run.TruncationReason | Should -Be 'rate_limited'
            $run.Received | Should -Be $query.OffersReceived
            # What was fetched is committed, and the run says why it is incomplete.
            $run.Status | Should -Be 'failed'
            $run.ErrorMessage | Should -Match 'InfojobsRateLimited'
            $run.Inserted + $run.Updated + $run.Reposts | Should -Be $query.OffersReceived
            # The fetch stopped at the first offer that stayed rate-limited: only the details already started (at
            # most 16 waiting in list order, 4 in flight) went on retrying, instead of four attempts for each of the 145.
            $setup.Infojobs.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count | Should -BeLessOrEqual (5 + 16 * 4)
            $state = Get-JobSignalQueryState -DatabasePath $setup.Db -QueryKey 'everything'
            $state.ConsecutiveFailures | Should -Be 1
            $state.LastSuccessAt | Should -BeNullOrEmpty

            $setup.Infojobs.RateLimitCount = 0
            $second = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $again = $second.Queries | Where-Object QueryKey -EQ 'everything'
            "$($again.Status)" | Should -Be 'Succeeded'
            $again.Since | Should -BeNullOrEmpty -Because 'the window of a query that never completed is everything'
            $again.OffersReceived | Should -Be 150
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'passes the Sheet sync''s warnings on (a company id a rep pasted twice)' {
        $setup = New-PipelineSetup
        try {
            $null = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $tab = $google.Spreadsheet($setup.SheetId).Tab('Companies')
            $tab.SetRow($tab.LastDataRow + 1, $tab['A2'], 'Pasted again')

            $null = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue

            @($warnings.Message | Where-Object { $_ -like "Sync: *$($tab['A2'])*" }).Count | Should -BeGreaterThan 0
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'keeps what a failed Sheet stage''s own error says to do (a foreign header row)' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        try {
            $tab = $google.Spreadsheet($setup.SheetId).AddTab('Companies')
            $tab.SetRow(1, [object[]]@('Id', 'Name'))

            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $summary.ExitCode | Should -Be 1
            $stageFailed = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'PipelineStageFailed,*' })
            $stageFailed.TargetObject | Should -Be @('sync', 'feedback')
            $stageFailed.CategoryInfo.Category | Should -Be @('InvalidData', 'InvalidData')
            $stageFailed[0].ErrorDetails.RecommendedAction | Should -BeLike 'Fix the header row*. The other stages still ran; fix the cause and run again.'
            $stageFailed[1].ErrorDetails.RecommendedAction | Should -BeLike 'Restore the header row*. The other stages still ran; fix the cause and run again.'
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'warns when a query stops at its own MaxOffers cap, and counts it as a success' {
        $setup = New-PipelineSetup
        try {
            (Get-Content $setup.Config -Raw).Replace("MaxOffers = 200", "MaxOffers = 20") | Set-Content $setup.Config

            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue

            "$(($summary.Queries | Where-Object QueryKey -EQ 'everything').Status)" | Should -Be 'Succeeded'
            @($warnings.Message | Where-Object { $_ -like 'Query everything stopped at its MaxOffers cap (20 offers)*' }).Count | Should -Be 1
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'fetches no detail again for an offer already stored unchanged, and records the aggregation in each query''s run' {
        $setup = New-PipelineSetup
        try {
            (Get-Content $setup.Config -Raw).Replace("@{ Key = 'broken-query'; Query = 'broken'; MaxPages = 2 }",
                "@{ Key = 'again'; MaxPages = 10; MaxOffers = 200 }") | Set-Content $setup.Config
            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -Verbose -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1
            $log = @($summary | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message
            $result = $summary | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
            $result.ExitCode | Should -Be 0
            $first = Get-IngestionRun -DatabasePath $setup.Db -RunId ($result.Queries | Where-Object QueryKey -EQ 'everything').RunId
            $again = Get-IngestionRun -DatabasePath $setup.Db -RunId ($result.Queries | Where-Object QueryKey -EQ 'again').RunId
            $scored = @(Get-SignalOffer -DatabasePath $setup.Db | Where-Object { $_.Description -and $_.Score -ne $null }).Count

            $first.DetailsFetched | Should -Be $first.Received
            # Offers stored by the first query are listed again unchanged: no detail; reposts and skipped ones are not stored.
            $again.DetailsFetched | Should -Be ($again.Received - $first.Inserted)
            @($setup.Infojobs.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail)).Count | Should -Be ($first.DetailsFetched + $again.DetailsFetched)
            $again.Inserted | Should -Be 0
            $scored | Should -Be $first.Inserted   # listed without a detail, the stored text and match stay
            # The aggregate stage records in each query's run what became of its companies.
            $first.CompaniesAggregated | Should -Be $first.AffectedCompanyIds.Count
            $again.CompaniesAggregated | Should -Be $again.AffectedCompanyIds.Count
            $first.CompaniesAggregated | Should -BeGreaterThan 0
            ($log | Where-Object { $_ -like 'query again: run *' }) | Should -BeLike "*$($first.Inserted) unchanged since stored*"
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'does nothing while another run holds the lock, and takes a dead run''s lock over' {
        $setup = New-PipelineSetup -LatencyMs 400
        $child = Start-ChildPipeline $setup
        try {
            # Wait until the child is inside its first query (its ingestion run exists).
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path $setup.Db) -or -not (Get-IngestionRun -DatabasePath $setup.Db -Status running)) {
                if ([DateTime]::UtcNow -gt $deadline -or $child.HasExited) { throw "the child pipeline did not start: $($child.StandardError.ReadToEnd())" }
                Start-Sleep -Milliseconds 200
            }
            $locked = Invoke-JobSignalPipeline -ConfigPath $setup.Config -WarningVariable warnings -WarningAction SilentlyContinue
            $locked.Status | Should -Be 'locked'
            $locked.ExitCode | Should -Be 3
            $locked.Queries.Count | Should -Be 0
            ($warnings -join ' ') | Should -Match 'holds the lock'

            # A scheduler kills the child: its lock and its running run are left behind.
            $child.Kill($true)
            $child.WaitForExit()
            $setup.Infojobs.Latency = [TimeSpan]::Zero
            $next = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningVariable takeover -WarningAction SilentlyContinue
            $next.TookOverLockFrom | Should -Match ":$($child.Id):"
            $takeover | Where-Object { "$_" -like "Took over the stale run lock of *:$($child.Id):*" } | Should -Not -BeNullOrEmpty
            $next.Status | Should -Be 'failed'   # the broken query still fails; everything else ran
            @(Get-IngestionRun -DatabasePath $setup.Db -Status abandoned).Count | Should -Be 1
            @(Get-IngestionRun -DatabasePath $setup.Db -Status running).Count | Should -Be 0
        }
        finally {
            if (-not $child.HasExited) { $child.Kill($true) }
            $setup.Infojobs.Dispose()
        }
    }

    It 'runs as a scheduled child process with stdin closed: no prompt, summary on stdout, exit code' {
        $setup = New-PipelineSetup
        try {
            $child = Start-ChildPipeline $setup
            $stdout = $child.StandardOutput.ReadToEndAsync()
            $stderr = $child.StandardError.ReadToEndAsync()
            $child.WaitForExit(180000) | Should -BeTrue
            $child.ExitCode | Should -Be 1 -Because $stderr.Result
            $stdout.Result | Should -Match 'Status\s*:\s*failed'
            $stdout.Result | Should -Match 'everything'
            $stdout.Result | Should -Match 'broken-query'
            # Plain text for logs: no ANSI codes, one line per error.
            $stdout.Result + $stderr.Result | Should -Not -Match "`e"
            $errorLines = @($stderr.Result -split '\r?\n' | Where-Object { $_ })
            $errorLines.Count | Should -Be 1 -Because $stderr.Result
            $errorLines[0] | Should -BeLike "ERROR PipelineQueryFailed: Query 'broken-query' failed: InfojobsRequestFailed: *(Recommended action: *)"

            $setup.Infojobs.FailingQuery = $null
            $again = Start-ChildPipeline $setup -Extra '-Verbose'
            $againOut = $again.StandardOutput.ReadToEndAsync()
            $again.WaitForExit(180000) | Should -BeTrue
            $again.ExitCode | Should -Be 0
            # -Verbose shows the pipeline's steps, not the module being loaded.
            $againOut.Result | Should -Match 'VERBOSE: query everything: Succeeded'
            $againOut.Result | Should -Not -Match 'VERBOSE: (Loading|Importing|Exporting)'
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'logs an unusable configuration as one plain ERROR line on stderr and exits 2' {
        $bad = Join-Path $root 'entry-bad.psd1'
        "@{ Queries = @(@{ Query = 'x'; Querry = 'y' }) }" | Set-Content $bad
        $child = Start-ChildPipeline ([pscustomobject]@{ Config = $bad })
        $stdout = $child.StandardOutput.ReadToEndAsync()
        $stderr = $child.StandardError.ReadToEndAsync()
        $child.WaitForExit(60000) | Should -BeTrue
        $child.ExitCode | Should -Be 2
        $stdout.Result | Should -BeNullOrEmpty
        $lines = @($stderr.Result -split '\r?\n' | Where-Object { $_ })
        $lines.Count | Should -Be 1 -Because $stderr.Result
        $lines[0] | Should -BeLike "ERROR PipelineConfigInvalid: The pipeline configuration $bad is invalid: Queries[[]0].Querry: unknown setting (did you mean Query?); Queries[[]0].Key: required (Recommended action: *)"
    }

    It 'takes -Credential over the environment, and stops with InfojobsCredentialsInvalid on unusable ones before anything runs' {
        $setup = New-PipelineSetup
        $saved = $env:INFOJOBS_CLIENT_ID, $env:INFOJOBS_CLIENT_SECRET
        try {
            $env:INFOJOBS_CLIENT_ID = 'someone-else'
            $env:INFOJOBS_CLIENT_SECRET = 'not-the-secret'
            $bad = [pscredential]::new('client:id', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
            { Invoke-JobSignalPipeline -ConfigPath $setup.Config -Credential $bad -ErrorAction Stop } | Should -Throw -ErrorId 'InfojobsCredentialsInvalid,*'
            Test-Path $setup.Db | Should -BeFalse
            $setup.Infojobs.Requests.Count | Should -Be 0

            $good = [pscredential]::new($setup.Infojobs.ClientId, (ConvertTo-SecureString $setup.Infojobs.ClientSecret -AsPlainText -Force))
            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -Credential $good -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            "$(($summary.Queries | Where-Object QueryKey -EQ 'everything').Status)" | Should -Be 'Succeeded'
            @($setup.Infojobs.Requests.Authorization | Select-Object -Unique) | Should -Be @($setup.Infojobs.ExpectedAuthorization)
        }
        finally {
            $env:INFOJOBS_CLIENT_ID, $env:INFOJOBS_CLIENT_SECRET = $saved
            $setup.Infojobs.Dispose()
        }
    }

    It 'logs a warning for stored offers whose content signature cannot be read' {
        $setup = New-PipelineSetup
        try {
            $null = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $known = Get-Content $sample -TotalCount 1 | ConvertFrom-Json
            $damaged = [long] (Invoke-TestSql $setup.Db "SELECT id FROM offers WHERE provider_offer_id = '$($known.id)'")
            $null = Invoke-TestSql $setup.Db "UPDATE offers SET content_signature = x'00ff' WHERE id = $damaged"
            # A new offer of the same company, published now: the next (incremental) run loads that company's offers.
            $known.id = 'aa' + [guid]::NewGuid().ToString('n').Substring(0, 28)
            $known.title = 'Responsable de tesorería internacional'
            $known.creationDate = $known.updateDate = [DateTimeOffset]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff+0000")
            $setup.Infojobs.AddOffer(($known | ConvertTo-Json -Depth 20 -Compress))

            $null = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningVariable all -WarningAction SilentlyContinue

            $warnings = @($all.Message | Where-Object { $_ -like 'Query everything: *' })
            $warnings.Count | Should -Be 1
            $warnings[0] | Should -BeLike "*1 stored offer(s) have a content signature that could not be read (offer id(s) $damaged)*"
            [int] (Invoke-TestSql $setup.Db "SELECT count(*) FROM offers WHERE provider_offer_id = '$($known.id)'") | Should -Be 1
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'logs a warning for an ingestion run it finds left running by a process that ended' {
        $setup = New-PipelineSetup
        try {
            $null = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $left = New-LeftRunningRun $setup.Db

            $null = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue

            @($warnings.Message | Where-Object { $_ -like "Run $($left.RunId) was left running by a process that ended ($($left.Owner))*abandoned*" }).Count | Should -Be 1
            (Get-IngestionRun -DatabasePath $setup.Db -RunId $left.RunId).Status | Should -Be 'abandoned'
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'stops with CatalogInvalid before anything runs when the configured catalog cannot be used' {
        $setup = New-PipelineSetup
        try {
            Set-Content (Join-Path $setup.Dir 'broken-catalog.json') '{ "version": '
            (Get-Content $setup.Config -Raw).Replace("DatabasePath = 'store/jobsignal.db'", "DatabasePath = 'store/jobsignal.db'`n    CatalogPath = 'broken-catalog.json'") | Set-Content $setup.Config

            { Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'CatalogInvalid,*'

            $setup.Infojobs.Requests.Count | Should -Be 0
            @(Get-IngestionRun -DatabasePath $setup.Db -WarningAction SilentlyContinue).Count | Should -Be 0
            @(Get-JobSignalQueryState -DatabasePath $setup.Db).Count | Should -Be 0
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'names the configuration file''s CatalogPath, not a -CatalogPath parameter it does not have, for a missing catalog' {
        $setup = New-PipelineSetup
        try {
            (Get-Content $setup.Config -Raw).Replace("DatabasePath = 'store/jobsignal.db'", "DatabasePath = 'store/jobsignal.db'`n    CatalogPath = 'no-such-catalog.json'") | Set-Content $setup.Config

            $failed = { Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'CatalogNotFound,*' -PassThru

            $failed.ErrorDetails.RecommendedAction | Should -BeLike 'Check CatalogPath of the configuration file:*'
            $failed.ErrorDetails.RecommendedAction | Should -Not -Match '-CatalogPath'
            # -WhatIf meets it too, instead of printing a plan the real run cannot carry out.
            { Invoke-JobSignalPipeline -ConfigPath $setup.Config -WhatIf -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'CatalogNotFound,*'
            $setup.Infojobs.Requests.Count | Should -Be 0
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'says that the store path came from the configuration file when that store cannot be used' {
        $setup = New-PipelineSetup
        try {
            $notes = Join-Path (Split-Path $setup.Config) 'notes.txt'
            Set-Content $notes 'not a store'
            (Get-Content $setup.Config -Raw).Replace("DatabasePath = 'store/jobsignal.db'", "DatabasePath = 'notes.txt'") | Set-Content $setup.Config

            $failed = { Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'StoreNotSqlite,*' -PassThru

            $failed.ErrorDetails.RecommendedAction | Should -BeLike "*The path is DatabasePath of the configuration file '$($setup.Config)'."
            Get-Content $notes | Should -Be 'not a store'
            $setup.Infojobs.Requests.Count | Should -Be 0
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'stops on SIG<Signal> with exit code 130, <Says>, the run recorded as cancelled and the lock released' -Skip:$IsWindows -ForEach @(
        @{ Signal = 'TERM'; Says = 'the summary on stdout (a service stop cancels the run as Ctrl+C does)' }
        @{ Signal = 'INT'; Says = 'one line on stderr (Ctrl+C: PowerShell stops the script itself)' }
    ) {
        $setup = New-PipelineSetup -LatencyMs 300
        try {
            $child = Start-ChildPipeline $setup
            $stdout = $child.StandardOutput.ReadToEndAsync()
            $stderr = $child.StandardError.ReadToEndAsync()
            # Wait until the first query is fetching details, then stop it.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($setup.Infojobs.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count -lt 8 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $setup.Infojobs.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count | Should -BeGreaterOrEqual 8
            & kill "-$Signal" $child.Id

            $child.WaitForExit(60000) | Should -BeTrue
            $child.ExitCode | Should -Be 130 -Because "stdout: $($stdout.Result) stderr: $($stderr.Result)"
            $errorLines = @($stderr.Result -split '\r?\n' | Where-Object { $_ })
            $cancelled = Get-IngestionRun -DatabasePath $setup.Db -Last 1 -WarningAction SilentlyContinue
            if ($Signal -eq 'TERM') {
                $stdout.Result | Should -Match 'Status\s*:\s*cancelled'
                # The query it stopped with its run, and what did not run.
                $stdout.Result | Should -Match "everything\s+Cancelled\s+$($cancelled.RunId)\s+0\s+Cancelled after 0 committed chunk"
                $stdout.Result | Should -Match 'broken-query\s+Skipped'
                $stdout.Result | Should -Match 'aggregate\s+Skipped\s+not run: the pipeline was stopped before it'
                $errorLines | Should -HaveCount 0
            }
            else {
                $errorLines | Should -HaveCount 1
                # The commands it names act on the configuration's store when typed as written.
                $store = "-DatabasePath '$($setup.Db)'"
                $errorLines[0] | Should -BeLike "ERROR PipelineStopped: The pipeline was stopped (Ctrl+C or SIGINT) before it ended;*(Recommended action: run it again; Get-IngestionRun -Status cancelled $store and Get-JobSignalQueryState $store show where it stopped.)"
            }
            $cancelled.Status | Should -Be 'cancelled'
            # Get-JobSignalQueryState shows where it stopped: the attempt and its run, the window not moved.
            $state = Get-JobSignalQueryState -DatabasePath $setup.Db -QueryKey 'everything'
            $state.LastRunId | Should -Be $cancelled.RunId
            $state.LastError | Should -Be $cancelled.ErrorMessage
            $state.LastSuccessAt | Should -BeNullOrEmpty
            $state.ConsecutiveFailures | Should -Be 0
            Invoke-TestSql $setup.Db "SELECT count(*) FROM run_lock" | Should -Be 0
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'records in the query''s state what a run stopped by PowerShell.Stop (Ctrl+C) committed, and keeps its window' {
        $setup = New-PipelineSetup -FailingQuery 'none' -LatencyMs 5
        $setup.Infojobs.AddGeneratedOffers(600, $null)
        (Get-Content $setup.Config -Raw).Replace('MaxPages = 10; MaxOffers = 200', 'MaxPages = 20; MaxOffers = 1000') | Set-Content $setup.Config
        $host2 = [powershell]::Create()
        try {
            $null = $host2.AddScript("Import-Module '$env:JOBSIGNAL_TEST_MODULE'; Invoke-JobSignalPipeline -ConfigPath '$($setup.Config)' -WarningAction SilentlyContinue")
            $async = $host2.BeginInvoke()
            # Ctrl+C once the first chunk of the first query is committed.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not ((Test-Path $setup.Db) -and [long] (Invoke-TestSql $setup.Db "SELECT coalesce(max(received), 0) FROM ingestion_runs WHERE status = 'running'") -gt 0)) {
                if ([DateTime]::UtcNow -gt $deadline -or $async.IsCompleted) { throw 'the pipeline committed no chunk to stop after' }
                Start-Sleep -Milliseconds 50
            }
            $host2.Stop()
            $async.IsCompleted | Should -BeTrue
        }
        finally { $host2.Dispose() }

        $run = Get-IngestionRun -DatabasePath $setup.Db -Last 1
        $run.Status | Should -Be 'cancelled'
        $run.Received | Should -BeGreaterThan 0
        $state = Get-JobSignalQueryState -DatabasePath $setup.Db -QueryKey 'everything'
        $state.LastRunId | Should -Be $run.RunId
        $state.LastRunAt | Should -Not -BeNullOrEmpty
        $state.LastError | Should -BeLike "Cancelled after * committed chunk(s) ($($run.Received) offers)*"
        $state.LastSuccessAt | Should -BeNullOrEmpty -Because 'what it committed does not move its window: the next run fetches it again'
        $state.ConsecutiveFailures | Should -Be 0
        Invoke-TestSql $setup.Db "SELECT count(*) FROM run_lock" | Should -Be 0
        $setup.Infojobs.Dispose()
    }

    It 'refuses a store SQLite finds damaged before it runs anything: StoreDamaged, nothing written, the Sheet not called' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        try {
            $first = Invoke-JobSignalPipeline -ConfigPath $setup.Config -WarningAction SilentlyContinue
            $first.ExitCode | Should -Be 0
            Set-DamagedTable $setup.Db 'companies'
            $before = (Get-FileHash $setup.Db).Hash
            $google.ClearRequests()
            $setup.Infojobs.ClearRequests()

            $failure = { Invoke-JobSignalPipeline -ConfigPath $setup.Config -WarningAction SilentlyContinue } | Should -Throw -PassThru

            $failure.FullyQualifiedErrorId | Should -BeLike 'StoreDamaged,*'
            "$($failure.CategoryInfo.Category)" | Should -Be 'ReadError'
            $failure.TargetObject | Should -Be $setup.Db
            $failure.Exception.Message | Should -BeLike "The store '$($setup.Db)' is damaged: SQLite could not read part of it (*). Nothing was changed."
            $failure.ErrorDetails.RecommendedAction | Should -BeLike '*backup*.recover*'
            (Get-FileHash $setup.Db).Hash | Should -Be $before -Because 'no lock, run or state is written into a damaged file'
            $setup.Infojobs.Requests.Count | Should -Be 0
            $google.Requests | Where-Object { $_.Call -ne 'Token' } | Should -BeNullOrEmpty
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'says that -ConfigPath is a folder, or a file it may not read, instead of missing or invalid' {
        $folder = New-TestDirectory
        $failure = { Invoke-JobSignalPipeline -ConfigPath $folder -WhatIf } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'PipelineConfigPathIsFolder,*'
        "$($failure.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be $folder
        $failure.Exception.Message | Should -Be "'$folder' is a folder, not a config file; -ConfigPath names the pipeline configuration file (a .psd1)."
        $failure.ErrorDetails.RecommendedAction | Should -BeLike "*-ConfigPath '$(Join-Path $folder 'jobsignal.config.psd1')'*"
    }

    It 'says that -ConfigPath is a file it may not read (PermissionDenied), not an invalid one' -Skip:$IsWindows {
        $file = Join-Path (New-TestDirectory) 'unreadable.psd1'
        "@{ Queries = @(@{ Key = 'a'; Query = 'q' }) }" | Set-Content $file
        & chmod 000 $file
        # File modes bind root only without CAP_DAC_OVERRIDE: drop it for the child that reads the file.
        $command = @($pwsh) + @('-NoProfile', '-NonInteractive', '-Command',
            "Import-Module '$env:JOBSIGNAL_TEST_MODULE'; try { Invoke-JobSignalPipeline -ConfigPath '$file' -WhatIf -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId, `$_.CategoryInfo.Category.ToString(), `$_.TargetObject, `$_.Exception.Message, `$_.ErrorDetails.RecommendedAction | ConvertTo-Json -Compress }")
        if ((& id -u) -eq '0') {
            if (-not (Get-Command setpriv -ErrorAction SilentlyContinue)) { Set-ItResult -Skipped -Because 'running as root without setpriv to drop CAP_DAC_OVERRIDE'; return }
            $command = @('setpriv', '--inh-caps=-dac_override,-dac_read_search', '--bounding-set=-dac_override,-dac_read_search') + $command
        }
        $id, $category, $target, $message, $action = (& $command[0] @($command | Select-Object -Skip 1)) | ConvertFrom-Json

        $id | Should -BeLike 'PipelineConfigUnreadable,*'
        "$category" | Should -Be 'PermissionDenied'
        $target | Should -Be $file
        $message | Should -BeLike "The pipeline configuration file '$file' cannot be read: *denied*"
        $message | Should -Not -Match 'line 0'
        $action | Should -BeLike 'Make the file readable by the account that runs the pipeline*'
    }

    It 'names the store in the commands it recommends unless a bare command finds it: <Case>' -Skip:(-not $IsLinux) -ForEach @(
        @{ Case = 'the default store, no $env:JOBSIGNAL_DB'; ConfigNamesDefault = $false; Environment = $null; Named = $false }
        @{ Case = 'the default store named in the config, $env:JOBSIGNAL_DB elsewhere'; ConfigNamesDefault = $true; Environment = 'elsewhere.db'; Named = $true }
    ) {
        $setup = New-PipelineSetup
        $saved = $env:XDG_DATA_HOME, $env:JOBSIGNAL_DB
        try {
            # The default store is JobSignal/jobsignal.db under the local application-data folder: here, $XDG_DATA_HOME.
            $env:XDG_DATA_HOME = Join-Path $setup.Dir 'data'
            $default = Join-Path $env:XDG_DATA_HOME 'JobSignal/jobsignal.db'
            $env:JOBSIGNAL_DB = if ($Environment) { Join-Path $setup.Dir $Environment }
            $storeLine = if ($ConfigNamesDefault) { "DatabasePath = '$default'" } else { '' }
            (Get-Content $setup.Config -Raw).Replace("DatabasePath = 'store/jobsignal.db'", $storeLine).Replace('MaxOffers = 200', 'MaxOffers = 5') | Set-Content $setup.Config

            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            Test-Path $default | Should -BeTrue
            $query = $summary.Queries | Where-Object QueryKey -EQ 'broken-query'
            $failed = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'PipelineQueryFailed,*' })
            $failed | Should -HaveCount 1
            $store = if ($Named) { " -DatabasePath '$default'" } else { '' }
            $failed[0].ErrorDetails.RecommendedAction | Should -BeLike "*See Get-JobSignalQueryState$store and Get-IngestionRun -RunId $($query.RunId)$store for details;*"
        }
        finally {
            $env:XDG_DATA_HOME, $env:JOBSIGNAL_DB = $saved
            $setup.Infojobs.Dispose()
        }
    }

    It 'fails a query with OfferPersistFailed when an offer cannot be stored, keeps its window, exits 1 and logs it' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        try {
            $victim = (Get-Content $sample -TotalCount 1 | ConvertFrom-Json).id
            $null = Invoke-TestSql $setup.Db "CREATE TRIGGER boom BEFORE INSERT ON offers WHEN NEW.provider_offer_id = '$victim' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"

            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $summary.ExitCode | Should -Be 1
            $query = $summary.Queries | Where-Object QueryKey -EQ 'everything'
            "$($query.Status)" | Should -Be 'Failed'
            $failed = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'PipelineQueryFailed,*' })
            $failed | Should -HaveCount 1
            $failed[0].Exception.Message | Should -BeLike "Query 'everything' failed: OfferPersistFailed: 1 offer(s) could not be stored in run $($query.RunId); the first: Offer infojobs:$victim could not be stored: *disk I/O error*"
            $failed[0].ErrorDetails.RecommendedAction | Should -BeLike 'Fix the cause*the next run fetches the same window again*'
            (Get-IngestionRun -DatabasePath $setup.Db -RunId $query.RunId).FailedDb | Should -Be 1
            (Get-JobSignalQueryState -DatabasePath $setup.Db -QueryKey 'everything').LastSuccessAt | Should -BeNullOrEmpty

            # The scheduled entry point logs it and exits 1.
            $child = Start-ChildPipeline $setup
            $stderr = $child.StandardError.ReadToEndAsync()
            $null = $child.StandardOutput.ReadToEndAsync()
            $child.WaitForExit(180000) | Should -BeTrue
            $child.ExitCode | Should -Be 1
            $stderr.Result | Should -BeLike "*ERROR PipelineQueryFailed: Query 'everything' failed: OfferPersistFailed: 1 offer(s)*"
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'warns of offers stored without a match, naming the remedy, and counts the query as a success' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        try {
            $victim = (Get-Content $sample -TotalCount 1 | ConvertFrom-Json).id
            $null = Invoke-TestSql $setup.Db "CREATE TRIGGER nomatch BEFORE INSERT ON matches WHEN NEW.offer_id = (SELECT id FROM offers WHERE provider_offer_id = '$victim') BEGIN SELECT RAISE(ABORT, 'match write refused'); END"

            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue

            $query = $summary.Queries | Where-Object QueryKey -EQ 'everything'
            "$($query.Status)" | Should -Be 'Succeeded'
            $unmatched = (Get-IngestionRun -DatabasePath $setup.Db -RunId $query.RunId).MatchFailed
            $unmatched | Should -Be 1
            $store = "-DatabasePath '$($setup.Db)'"
            @($warnings.Message | Where-Object { $_ -eq "Query everything: $unmatched offer(s) of run $($query.RunId) were stored without a match (MatchPersistFailed). Get-SignalOffer -Unscored $store lists such offers; Update-OfferScore -Unscored $store scores them." }) |
                Should -HaveCount 1
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'keeps the run and InfoJobs'' own advice when a query fails on its credentials' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        $saved = $env:INFOJOBS_CLIENT_SECRET
        try {
            $env:INFOJOBS_CLIENT_SECRET = 'not-the-secret'

            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $query = $summary.Queries | Where-Object QueryKey -EQ 'everything'
            $query.RunId | Should -Not -BeNullOrEmpty
            (Get-JobSignalQueryState -DatabasePath $setup.Db -QueryKey 'everything').LastRunId | Should -Be $query.RunId
            $failed = @($problems | Where-Object { $_.FullyQualifiedErrorId -like 'PipelineQueryFailed,*' -and $_.TargetObject -eq 'everything' })
            $failed[0].Exception.Message | Should -BeLike "Query 'everything' failed: InfojobsAuthenticationFailed: *"
            # The commands it names act on the configuration's store when typed as written.
            $store = "-DatabasePath '$($setup.Db)'"
            $failed[0].ErrorDetails.RecommendedAction | Should -BeLike "Check the client id and secret of your InfoJobs application*See Get-JobSignalQueryState $store and Get-IngestionRun -RunId $($query.RunId) $store for details; the other stages still ran."
        }
        finally {
            $env:INFOJOBS_CLIENT_SECRET = $saved
            $setup.Infojobs.Dispose()
        }
    }

    It 'says with -WhatIf what a real run would do with the Sheet stages' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        try {
            $off = Join-Path $setup.Dir 'sheet-off.psd1'
            (Get-Content $setup.Config -Raw) -replace "Sheet\s*= @\{[^}]*\}", 'Sheet = @{ Enabled = $false }' | Set-Content $off
            $none = Join-Path $setup.Dir 'no-sheet.psd1'
            (Get-Content $setup.Config -Raw) -replace "Sheet\s*= @\{[^}]*\}", '' | Set-Content $none
            # -WhatIf writes to the host: a child process's output is where it can be read.
            $script = "Import-Module '$env:JOBSIGNAL_TEST_MODULE'; `$env:JOBSIGNAL_SPREADSHEET_ID = `$env:GOOGLE_APPLICATION_CREDENTIALS = `$null; " +
                "Invoke-JobSignalPipeline -ConfigPath '$off' -WhatIf; Invoke-JobSignalPipeline -ConfigPath '$none' -WhatIf"
            $output = (& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script) -join "`n"

            $output | Should -BeLike '*Sheet sync skipped (disabled in the configuration (Sheet.Enabled = $false)), feedback import skipped (disabled in the configuration (Sheet.Enabled = $false))*'
            $output | Should -BeLike '*Sheet sync skipped (no Google Sheet configured*), feedback import skipped (no Google Sheet configured*'
            $output | Should -Not -BeLike '*feedback import on*'
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'tells a Sheet switched off on the verbose stream, not as a warning every night' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        try {
            (Get-Content $setup.Config -Raw) -replace "Sheet\s*= @\{[^}]*\}", 'Sheet = @{ Enabled = $false }' | Set-Content $setup.Config

            $all = Invoke-JobSignalPipeline -ConfigPath $setup.Config -Verbose -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue 4>&1

            @($warnings.Message | Where-Object { $_ -like 'Stage*skipped*' }) | Should -HaveCount 0
            $verbose = @($all | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message
            $verbose | Should -Contain "Stage 'sync' skipped: disabled in the configuration (Sheet.Enabled = `$false)"
            $verbose | Should -Contain "Stage 'feedback' skipped: disabled in the configuration (Sheet.Enabled = `$false)"
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'writes nothing with -WhatIf' {
        $setup = New-PipelineSetup
        try {
            Invoke-JobSignalPipeline -ConfigPath $setup.Config -WhatIf | Should -BeNullOrEmpty
            Test-Path $setup.Db | Should -BeFalse
            $setup.Infojobs.Requests.Count | Should -Be 0
        }
        finally { $setup.Infojobs.Dispose() }
    }

    It 'reports every problem of a bad configuration with its path, as PipelineConfigInvalid' {
        $bad = Join-Path $root 'bad.psd1'
        "@{ Queries = @(@{ Query = 'x' }, @{ Key = 'k'; MaxPages = 0 }); Sheet = @{ HeaderLanguage = 'fr' } }" | Set-Content $bad
        { Invoke-JobSignalPipeline -ConfigPath $bad -ErrorAction Stop } | Should -Throw -ErrorId 'PipelineConfigInvalid,*'
        try { Invoke-JobSignalPipeline -ConfigPath $bad -ErrorAction Stop } catch { $message = $_.Exception.Message }
        $message | Should -Match 'Queries\[0\]\.Key: required'
        $message | Should -Match 'Queries\[1\]\.MaxPages'
        $message | Should -Match 'Sheet\.HeaderLanguage'
        { Invoke-JobSignalPipeline -ConfigPath (Join-Path $root 'missing.psd1') -ErrorAction Stop } | Should -Throw -ErrorId 'PipelineConfigNotFound,*'
        # Values are checked when the file loads, not when a query or client first uses them.
        $values = Join-Path $root 'values.psd1'
        "@{ Queries = @(@{ Key = 'k'; Since = 'LAST_WEEK' }); Infojobs = @{ BaseUri = 'not a uri' }; Sheet = @{ BaseUri = '::bad' } }" | Set-Content $values
        try { Invoke-JobSignalPipeline -ConfigPath $values -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'PipelineConfigInvalid,*'
        $failure.Exception.Message | Should -Match "Queries\[0\]\.Since: 'LAST_WEEK'"
        $failure.Exception.Message | Should -Match "Infojobs\.BaseUri: 'not a uri'"
        $failure.Exception.Message | Should -Match "Sheet\.BaseUri: '::bad'"
        # Settings that would quietly fetch everything or fail every night fail the load instead, naming the setting.
        $nonsense = Join-Path $root 'nonsense.psd1'
        "@{ Queries = @(@{ Key = 'a'; Query = '  ' }, @{ Key = 'b'; Order = 'newest first please' }); Infojobs = @{ BaseUri = 'http//bob:S3CRETTOKEN@mirror/' }; Sheet = @{ SpreadsheetId = 'https://example.com/not/a/sheet'; SheetName = '' } }" | Set-Content $nonsense
        $failure = $null
        try { Invoke-JobSignalPipeline -ConfigPath $nonsense -WhatIf -ErrorAction Stop } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'PipelineConfigInvalid,*'
        $failure.Exception.Message | Should -BeLike "The pipeline configuration $nonsense is invalid:*"
        foreach ($problem in "Queries[0].Query: empty", "Queries[1].Order: 'newest first please' is not an order InfoJobs accepts",
            "Infojobs.BaseUri: 'http//***@mirror/' is not an absolute http or https URI", "Sheet.SpreadsheetId: 'https://example.com/not/a/sheet' is not a spreadsheet id", "Sheet.SheetName: empty") {
            $failure.Exception.Message | Should -Match ([regex]::Escape($problem))
        }
        $failure.Exception.Message | Should -Not -Match 'S3CRETTOKEN'
        $code = Join-Path $root 'code.psd1'
        "@{ Queries = @(@{ Key = (Get-Date) }) }" | Set-Content $code
        { Invoke-JobSignalPipeline -ConfigPath $code -ErrorAction Stop } | Should -Throw -ErrorId 'PipelineConfigInvalid,*'
    }

    It 'resolves ~ in the configuration''s paths to the home folder, not to a folder named ~ beside the file' -Skip:$IsWindows {
        $setup = New-PipelineSetup -FailingQuery 'none'
        $fakeHome = New-TestDirectory
        $saved = $env:HOME
        try {
            $env:HOME = $fakeHome
            (Get-Content $setup.Config -Raw).Replace("DatabasePath = 'store/jobsignal.db'", "DatabasePath = '~/store/jobsignal.db'").
                Replace("MaxOffers = 200", "MaxOffers = 5") | Set-Content $setup.Config
            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -WarningAction SilentlyContinue
            $summary.ExitCode | Should -Be 0
            Test-Path (Join-Path $fakeHome 'store/jobsignal.db') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path $setup.Dir '~') | Should -BeFalse
        }
        finally {
            $env:HOME = $saved
            $setup.Infojobs.Dispose()
        }
    }

    It 'refuses a file that is not exactly one data hashtable, without running any of it' {
        $file = Join-Path $root 'shape.psd1'
        $marker = Join-Path $root 'marker.txt'
        'keep me' | Set-Content $marker
        foreach ($content in "@( @{ Queries = @(@{ Key = 'k' }) } )",
            "Remove-Item '$marker'; @{ Queries = @(@{ Key = 'k' }) }",
            "@{ Queries = @(@{ Key = 'k' }) }; @{ Queries = @(@{ Key = 'j' }) }",
            "@{ Queries = @(@{ Key = 'k' }) } | Out-Null",
            '# nothing but a comment') {
            Set-Content $file $content
            $failure = $null
            try { Invoke-JobSignalPipeline -ConfigPath $file -WhatIf -ErrorAction Stop } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'PipelineConfigInvalid,*' -Because $content
            $failure.Exception.Message | Should -Match 'the file must hold exactly one @\{ \.\.\. \} hashtable and nothing else'
            $failure.TargetObject | Should -Be $file
        }
        Test-Path $marker | Should -BeTrue
        # Comments and a trailing semicolon are fine.
        "# nightly`n@{ Queries = @(@{ Key = 'k' }) };" | Set-Content $file
        Invoke-JobSignalPipeline -ConfigPath $file -WhatIf | Should -BeNullOrEmpty
    }

    It 'fails the Sheet stages of a half-configured Sheet naming what is missing, and skips a Sheet not configured at all' {
        $setup = New-PipelineSetup -FailingQuery 'none'
        $saved = $env:JOBSIGNAL_SPREADSHEET_ID, $env:GOOGLE_APPLICATION_CREDENTIALS
        function Invoke-Sheetless {
            $summary = Invoke-JobSignalPipeline -ConfigPath $setup.Config -ErrorVariable problems -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            [pscustomobject]@{ ExitCode = $summary.ExitCode; Stages = @($summary.Stages | Where-Object Stage -In 'sync', 'feedback'); Problems = $problems }
        }
        try {
            $env:JOBSIGNAL_SPREADSHEET_ID = $env:GOOGLE_APPLICATION_CREDENTIALS = $null
            (Get-Content $setup.Config -Raw).Replace("SpreadsheetId = '$($setup.SheetId)'; ", '').Replace("MaxOffers = 200", "MaxOffers = 5") | Set-Content $setup.Config

            # A key file (from the file) without a spreadsheet.
            $run = Invoke-Sheetless
            $run.ExitCode | Should -Be 1
            foreach ($stage in $run.Stages) {
                "$($stage.Status)" | Should -Be 'Failed'
                $stage.Error | Should -BeLike 'SheetConfigIncomplete: *no spreadsheet (Sheet.SpreadsheetId / $env:JOBSIGNAL_SPREADSHEET_ID) is set*'
            }
            $stageFailures = @($run.Problems | Where-Object { $_.FullyQualifiedErrorId -like 'PipelineStageFailed,*' })
            $stageFailures.Count | Should -Be 2
            # The failure's own advice comes first, then the pipeline's.
            $stageFailures | ForEach-Object { $_.ErrorDetails.RecommendedAction | Should -BeLike 'Set the missing one;*The other stages still ran; fix the cause and run again.' }

            # A spreadsheet (from the environment) without a key file.
            (Get-Content $setup.Config -Raw).Replace("CredentialPath = '$($account.KeyFilePath)'; ", '') | Set-Content $setup.Config
            $env:JOBSIGNAL_SPREADSHEET_ID = $setup.SheetId
            $run = Invoke-Sheetless
            $run.ExitCode | Should -Be 1
            foreach ($stage in $run.Stages) {
                "$($stage.Status)" | Should -Be 'Failed'
                $stage.Error | Should -BeLike 'SheetConfigIncomplete: *no service-account key file (Sheet.CredentialPath / $env:GOOGLE_APPLICATION_CREDENTIALS) is set*'
            }

            # Neither: the Sheet is not used, and that is no failure.
            $env:JOBSIGNAL_SPREADSHEET_ID = $null
            $run = Invoke-Sheetless
            $run.ExitCode | Should -Be 0
            $run.Stages.Status | ForEach-Object { "$_" | Should -Be 'Skipped' }
        }
        finally {
            $env:JOBSIGNAL_SPREADSHEET_ID, $env:GOOGLE_APPLICATION_CREDENTIALS = $saved
            $setup.Infojobs.Dispose()
        }
    }
}

Describe 'New-JobSignalConfig' {
    It 'writes the starter configuration, which is valid, and refuses to overwrite without -Force' {
        $path = Join-Path $root 'starter/jobsignal.config.psd1'
        $file = New-JobSignalConfig -Path $path
        $file.FullName | Should -Be $path
        (Import-PowerShellDataFile $path).Queries.Count | Should -BeGreaterThan 0
        Invoke-JobSignalPipeline -ConfigPath $path -WhatIf | Should -BeNullOrEmpty
        { New-JobSignalConfig -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'PipelineConfigExists,*'
        Set-Content $path '# mine'
        $null = New-JobSignalConfig -Path $path -Force
        (Get-Content $path -Raw) | Should -Match 'Queries'
    }

    It 'refuses a folder as -Path, with or without -Force, and writes nothing' {
        $folder = New-TestDirectory
        foreach ($force in $false, $true) {
            $failure = $null
            try { New-JobSignalConfig -Path $folder -Force:$force -ErrorAction Stop } catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -BeLike 'PipelineConfigPathIsFolder,*'
            "$($failure.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -Be $folder
            $failure.ErrorDetails.RecommendedAction | Should -BeLike '*jobsignal.config.psd1*'
        }
        @(Get-ChildItem $folder -Force).Count | Should -Be 0
    }
}
