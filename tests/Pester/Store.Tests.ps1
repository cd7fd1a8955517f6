BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest

    # SQLite keeps user_version as a big-endian integer at byte 60 of the header: a store "from a newer JobSignal".
    function Set-StoreUserVersion([string] $Path, [int] $Version) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $bytes[60] = ($Version -shr 24) -band 0xFF; $bytes[61] = ($Version -shr 16) -band 0xFF
        $bytes[62] = ($Version -shr 8) -band 0xFF; $bytes[63] = $Version -band 0xFF
        [IO.File]::WriteAllBytes($Path, $bytes)
    }

    # The store API of the loaded module (JobSignal.Core lives in the module's private load context).
    function Get-CoreType([string] $Name) {
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'JobSignal.Core' } | Select-Object -First 1
        $core.GetType($Name, $true)
    }

    # Records finished runs with the module's own store API: what Invoke-OfferIngestion would have left.
    function Add-TestRun([string] $Path, [string] $Status, [string] $QueryKey, [int] $Inserted) {
        $null = Get-IngestionRun -DatabasePath $Path -WarningAction SilentlyContinue  # loads JobSignal.Core and creates the store
        $store = (Get-CoreType 'JobSignal.Core.Store.SignalStore')::Open($Path, $null)
        try {
            $run = $store.Runs.Start('ingestion', 'infojobs', $QueryKey, '2.1.0')
            $run.Received = $Inserted + 1
            $run.Inserted = $Inserted
            if ($Status -ne 'running') { $store.Runs.Finish($run, $Status, $(if ($Status -eq 'failed') { 'HTTP 500 from InfoJobs' })) }
            else { $store.Runs.Save($run) }
            $run.RunId
        }
        finally { $store.Dispose() }
    }
}

Describe 'Get-IngestionRun and the store it opens' {
    BeforeEach {
        $script:dir = New-TestDirectory
        $script:savedDb = $env:JOBSIGNAL_DB
        $env:JOBSIGNAL_DB = $null
    }
    AfterEach {
        $env:JOBSIGNAL_DB = $script:savedDb
        Remove-Item $script:dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'creates a fresh store (and its folder), returns no runs and warns that it was empty' {
        $path = Join-Path $dir 'new/folder/jobsignal.db'
        $runs = @(Get-IngestionRun -DatabasePath $path -WarningVariable warnings -WarningAction SilentlyContinue)
        $runs.Count | Should -Be 0
        $warnings.Count | Should -Be 1
        "$warnings" | Should -BeLike "There was no store at '$path': an empty one was created.*JOBSIGNAL_DB*"
        Get-SignalCompany -DatabasePath $path -WarningVariable again | Should -BeNullOrEmpty
        $again.Count | Should -Be 0
        Test-Path $path | Should -BeTrue
        [IO.File]::ReadAllBytes($path)[0..14] | Should -Be ([Text.Encoding]::ASCII.GetBytes('SQLite format 3'))

        # An empty file (touch, or a copy that failed) is made a store the same way, and said so the same way.
        $empty = Join-Path $dir 'empty.db'
        New-Item $empty -ItemType File | Out-Null
        Get-SignalCompany -DatabasePath $empty -WarningVariable emptyWarnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        "$emptyWarnings" | Should -BeLike "There was no store at '$empty': an empty one was created.*"
    }

    It 'resolves a relative -DatabasePath against the current location' {
        Push-Location $dir
        try { Get-IngestionRun -DatabasePath 'rel/store.db' -WarningAction SilentlyContinue | Should -BeNullOrEmpty }
        finally { Pop-Location }
        Test-Path (Join-Path $dir 'rel/store.db') | Should -BeTrue
    }

    It 'uses $env:JOBSIGNAL_DB when -DatabasePath is not given' {
        $env:JOBSIGNAL_DB = Join-Path $dir 'from-env.db'
        Get-IngestionRun -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        Test-Path $env:JOBSIGNAL_DB | Should -BeTrue
    }

    It 'refuses blank file paths and those of another provider or of a missing drive (PathNotFileSystem), creating nothing' {
        # PowerShell gives the bare item name for such a path: it would land in the process's working folder.
        $work = Join-Path $dir 'provider-paths'
        $null = New-Item -ItemType Directory $work
        $processFolder = [Environment]::CurrentDirectory
        [Environment]::CurrentDirectory = $work
        Push-Location $work
        $credential = [pscredential]::new('client', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
        try {
            $cases = @(
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.GetSignalCompanyCommand'
                    Message = "-DatabasePath 'Env:/js-store' is not a file-system path: it names an item of the Environment provider."
                    Run = { Get-SignalCompany -DatabasePath 'Env:/js-store' } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.GetSignalOfferCommand'
                    Message = "-DatabasePath '   ' is not a file-system path: it is blank."
                    Run = { Get-SignalOffer -DatabasePath '   ' } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.SyncCompanySheetCommand'
                    Message = "-CredentialPath ' ' is not a file-system path: it is blank."
                    Run = { Sync-CompanySheet -SpreadsheetId 'sheet' -CredentialPath ' ' -DatabasePath (Join-Path $dir 'sheets.db') } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.InvokeOfferIngestionCommand'
                    Message = "-DatabasePath 'NoSuchDrive:/js.db' is not a file-system path: *NoSuchDrive*"
                    Run = { [pscustomobject]@{ ProviderOfferId = 'a1' } | Invoke-OfferIngestion -DatabasePath 'NoSuchDrive:/js.db' } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.GetIngestionRunCommand'
                    Message = "`$env:JOBSIGNAL_DB 'Function:/js-env' is not a file-system path: it names an item of the Function provider."
                    Run = { $env:JOBSIGNAL_DB = 'Function:/js-env'; try { Get-IngestionRun } finally { Remove-Item Env:/JOBSIGNAL_DB } } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.NewJobSignalConfigCommand'
                    Message = "-Path 'Env:/js-config' is not a file-system path:*"
                    Run = { New-JobSignalConfig -Path 'Env:/js-config' -Force } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.InvokeJobSignalPipelineCommand'
                    Message = "-ConfigPath 'Env:/js-config' is not a file-system path:*"
                    Run = { Invoke-JobSignalPipeline -ConfigPath 'Env:/js-config' } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.SyncCompanySheetCommand'
                    Message = "-CredentialPath 'Env:/js-key' is not a file-system path:*"
                    Run = { Sync-CompanySheet -SpreadsheetId 'sheet' -CredentialPath 'Env:/js-key' -DatabasePath (Join-Path $dir 'sheets.db') } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.GetInfojobsOfferCommand'
                    Message = "-SavePayloadPath 'Env:/js-payloads' is not a file-system path:*"
                    Run = { Get-InfojobsOffer -Query 'tesorero' -Credential $credential -BaseUri 'http://127.0.0.1:9/' -SavePayloadPath 'Env:/js-payloads' } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.MeasureOfferSignalCommand'
                    Message = "-CatalogPath 'Env:/js-catalog' is not a file-system path:*"
                    Run = { Measure-OfferSignal -Title 'Tesorero' -Description 'USD' -CatalogPath 'Env:/js-catalog' } }
                @{ Id = 'PathNotFileSystem,JobSignal.Cmdlets.Commands.MeasureOfferSignalCommand'
                    Message = "-CatalogPath ' ' is not a file-system path: it is blank."
                    Run = { Measure-OfferSignal -Title 'Tesorero' -Description 'USD' -CatalogPath ' ' } }
            )
            foreach ($case in $cases) {
                $failure = { & $case.Run } | Should -Throw -PassThru
                $failure.FullyQualifiedErrorId | Should -Be $case.Id
                $failure.Exception.Message | Should -BeLike $case.Message
                $failure.CategoryInfo.Category | Should -BeIn @('InvalidArgument', 'ObjectNotFound')
            }
        }
        finally {
            Pop-Location
            [Environment]::CurrentDirectory = $processFolder
        }
        @(Get-ChildItem $work -Force).Count | Should -Be 0
    }

    It 'refuses a file that is not SQLite with StoreNotSqlite and leaves it unchanged' {
        $path = Join-Path $dir 'notes.db'
        Set-Content -Path $path -Value 'not a database, just notes' -NoNewline
        $before = (Get-FileHash $path).Hash

        { Get-IngestionRun -DatabasePath $path -ErrorAction Stop } | Should -Throw -ErrorId 'StoreNotSqlite,JobSignal.Cmdlets.Commands.GetIngestionRunCommand'

        (Get-FileHash $path).Hash | Should -Be $before
        @(Get-ChildItem $dir).Name | Should -Be @('notes.db')
    }

    It 'ends a query over a store damaged after it was written with StoreDamaged, and changes nothing' {
        $path = Join-Path $dir 'damaged.db'
        Get-InfojobsOffer -Path (Join-Path (Get-Module JobSignal).ModuleBase 'module/samples/infojobs-sample.jsonl') | Invoke-OfferIngestion -DatabasePath $path | Update-CompanyAggregation -DatabasePath $path | Out-Null
        Set-DamagedTable $path 'companies'
        $before = (Get-FileHash $path).Hash

        foreach ($query in { Get-SignalCompany -DatabasePath $path }, { Get-SignalOffer -DatabasePath $path -MinScore 1 }) {
            $err = $null
            try { & $query -ErrorAction Stop | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'StoreDamaged,*'
            $err.CategoryInfo.Category | Should -Be 'ReadError'
            $err.TargetObject | Should -Be $path
            $err.Exception.Message | Should -BeLike "The store '$path' is damaged: SQLite could not read part of it (*malformed*"
            $err.ErrorDetails.RecommendedAction | Should -BeLike '*backup*.recover*'
        }
        @(Get-IngestionRun -DatabasePath $path).Count | Should -Be 1   # what is not damaged still reads
        (Get-FileHash $path).Hash | Should -Be $before
    }

    It 'ends aggregation, re-scoring and the InfoJobs reader over a damaged store with StoreDamaged, never SQLite''s own exception' {
        Add-Type -Path $env:JOBSIGNAL_TEST_FAKES
        $sample = Join-Path (Get-Module JobSignal).ModuleBase 'module/samples/infojobs-sample.jsonl'
        $path = Join-Path $dir 'damaged.db'
        $run = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $path
        Set-DamagedTable $path 'companies'
        Set-DamagedTable $path 'offers'
        $before = (Get-FileHash $path).Hash
        $infojobs = [JobSignal.TestFakes.FakeInfojobsServer]::new()
        $infojobs.AddOffersFromJsonLines($sample)
        $credential = [pscredential]::new($infojobs.ClientId, (ConvertTo-SecureString $infojobs.ClientSecret -AsPlainText -Force))
        try {
            foreach ($command in { Update-CompanyAggregation -All -DatabasePath $path }, { Update-CompanyAggregation -Stale -DatabasePath $path },
                { $run | Update-CompanyAggregation -DatabasePath $path }, { Update-OfferScore -CompanyId 1 -DatabasePath $path },
                { Get-InfojobsOffer -Credential $credential -BaseUri $infojobs.BaseUri -MaxOffers 20 -DatabasePath $path }) {
                $err = $null
                try { & $command -ErrorAction Stop | Out-Null } catch { $err = $_ }
                $err | Should -Not -BeNullOrEmpty -Because $command
                $err.FullyQualifiedErrorId | Should -BeLike 'StoreDamaged,*' -Because $command
                "$($err.CategoryInfo.Category)" | Should -Be 'ReadError'
                $err.TargetObject | Should -Be $path
                $err.Exception.Message | Should -BeLike "*The store '$path' is damaged: SQLite could not read part of it (*malformed*"
                $err.ErrorDetails.RecommendedAction | Should -BeLike '*backup*.recover*'
            }
        }
        finally { $infojobs.Dispose() }
        (Get-FileHash $path).Hash | Should -Be $before
    }

    It 'says that another process holds the store (StoreBusy, the store as target) when its write lock outlasts the retries' {
        $sample = Join-Path (Get-Module JobSignal).ModuleBase 'module/samples/infojobs-sample.jsonl'
        $path = Join-Path $dir 'locked.db'
        $null = Get-InfojobsOffer -Path $sample | Invoke-OfferIngestion -DatabasePath $path
        # Another program in the middle of a write transaction on the store (sqlite3, a backup tool).
        $holder = (Get-PrivateType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection')::new("Data Source=$path;Pooling=False")
        $holder.Open()
        $hold = $holder.CreateCommand()
        $hold.CommandText = "BEGIN IMMEDIATE; INSERT INTO query_state (query_key) VALUES ('held by another process');"
        $null = $hold.ExecuteNonQuery()
        try {
            # Each waits out the store's retries (about 40 s): side by side, not one after the other.
            $module = $env:JOBSIGNAL_TEST_MODULE
            $failures = 'Invoke-OfferIngestion', 'Update-CompanyAggregation', 'Update-OfferScore' | ForEach-Object -ThrottleLimit 3 -Parallel {
                $command = $_
                Import-Module $using:module
                try {
                    switch ($command) {
                        'Invoke-OfferIngestion' { Get-InfojobsOffer -Path $using:sample | Select-Object -First 3 | Invoke-OfferIngestion -DatabasePath $using:path -ErrorAction Stop }
                        'Update-CompanyAggregation' { Update-CompanyAggregation -All -DatabasePath $using:path -ErrorAction Stop }
                        'Update-OfferScore' { Update-OfferScore -All -DatabasePath $using:path -ErrorAction Stop }
                    }
                    [pscustomobject]@{ Command = $command; ErrorId = 'none' }
                }
                catch {
                    [pscustomobject]@{ Command = $command; ErrorId = $_.FullyQualifiedErrorId; Category = "$($_.CategoryInfo.Category)"
                        Target = $_.TargetObject; Message = $_.Exception.Message; Action = $_.ErrorDetails.RecommendedAction }
                }
            }
        }
        finally { $holder.Dispose() }

        $failures | Should -HaveCount 3
        foreach ($failure in $failures) {
            $failure.ErrorId | Should -BeLike "StoreBusy,*" -Because "$($failure.Command): $($failure.Message)"
            $failure.Category | Should -Be 'ResourceUnavailable'
            $failure.Target | Should -Be $path
            $failure.Message | Should -BeLike "*The store '$path' was locked by another process past the waits and retries (*database is locked*"
            $failure.Message | Should -Not -Match 'disk space|permissions'
            $failure.Action | Should -BeLike 'Another process holds the store''s write lock*Wait until it has finished, or stop it, then run the command again.'
        }
        # Re-scoring never got to start its run, and does not claim it did.
        ($failures | Where-Object Command -EQ 'Update-OfferScore').Message | Should -BeLike '*No re-scoring run had started; nothing was re-scored.'
        @(Get-IngestionRun -DatabasePath $path).Kind | Should -Be @('ingestion')
    }

    It 'refuses a store of a newer schema with StoreSchemaTooNew and leaves it unchanged' {
        $path = Join-Path $dir 'future.db'
        Get-IngestionRun -DatabasePath $path -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-ChildItem $dir).Name | Should -Be @('future.db')   # closed cleanly: no -wal/-shm beside it
        Set-StoreUserVersion -Path $path -Version 999
        $before = (Get-FileHash $path).Hash

        $err = $null
        try { Get-IngestionRun -DatabasePath $path -ErrorAction Stop } catch { $err = $_ }

        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'StoreSchemaTooNew,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.TargetObject | Should -Be $path
        $err.Exception.Message | Should -Match '999'
        (Get-FileHash $path).Hash | Should -Be $before
        @(Get-ChildItem $dir).Name | Should -Be @('future.db')
    }

    It 'refuses a folder in place of the store with StoreUnusable' {
        $path = Join-Path $dir 'a-folder.db'
        New-Item -ItemType Directory -Path $path | Out-Null
        { Get-IngestionRun -DatabasePath $path -ErrorAction Stop } | Should -Throw -ErrorId 'StoreUnusable,JobSignal.Cmdlets.Commands.GetIngestionRunCommand'
    }

    Context 'with recorded runs' {
        BeforeEach {
            $script:path = Join-Path $dir 'runs.db'
            $script:ok = Add-TestRun $path 'success' 'fx-madrid' 10
            $script:bad = Add-TestRun $path 'failed' 'fx-bcn' 0
            $script:live = Add-TestRun $path 'running' 'fx-madrid' 3
        }

        It 'lists every run newest first as typed objects' {
            $runs = @(Get-IngestionRun -DatabasePath $path)
            $runs.RunId | Should -Be @($live, $bad, $ok)
            $runs[0].PSObject.TypeNames | Should -Contain 'JobSignal.IngestionRun'
            $runs[0].GetType().FullName | Should -Be 'JobSignal.Core.Domain.IngestionRun'
            $runs[2].Status | Should -Be 'success'
            $runs[2].Inserted | Should -Be 10
            $runs[2].Received | Should -Be 11
            $runs[2].QueryKey | Should -Be 'fx-madrid'
            $runs[2].FinishedAt | Should -Not -BeNullOrEmpty
        }

        It 'keeps the last N with -Last and filters with -Status' {
            @(Get-IngestionRun -DatabasePath $path -Last 2).RunId | Should -Be @($live, $bad)
            $failed = @(Get-IngestionRun -DatabasePath $path -Status failed)
            $failed.RunId | Should -Be @($bad)
            $failed[0].ErrorMessage | Should -Be 'HTTP 500 from InfoJobs'
            @(Get-IngestionRun -DatabasePath $path -Status Success, running).RunId | Should -Be @($live, $ok)
            @(Get-IngestionRun -DatabasePath $path -Status cancelled).Count | Should -Be 0
        }

        It 'gets runs by id, from the pipeline by property name too' {
            (Get-IngestionRun -DatabasePath $path -RunId $ok).Inserted | Should -Be 10
            @([pscustomobject]@{ RunId = $bad }, [pscustomobject]@{ RunId = $ok } | Get-IngestionRun -DatabasePath $path).RunId | Should -Be @($bad, $ok)
            @($live | Get-IngestionRun -DatabasePath $path).Status | Should -Be @('running')
        }

        It 'writes each run, and each query state of piped runs, once however many times it is named' {
            @(Get-IngestionRun -DatabasePath $path -RunId $ok, $bad, $ok).RunId | Should -Be @($ok, $bad)
            @([pscustomobject]@{ RunId = $ok }, [pscustomobject]@{ RunId = $ok } | Get-IngestionRun -DatabasePath $path).RunId | Should -Be @($ok)
            $store = (Get-CoreType 'JobSignal.Core.Store.SignalStore')::Open($path, $null)
            try {
                $null = $store.QueryStates.RecordSuccess('fx-madrid', $ok, [DateTimeOffset]::UtcNow)
                $null = $store.QueryStates.RecordFailure('fx-bcn', $bad, 'HTTP 500 from InfoJobs', [DateTimeOffset]::UtcNow)
            }
            finally { $store.Dispose() }
            # Two runs of fx-madrid, one of fx-bcn.
            @(Get-IngestionRun -DatabasePath $path | Get-JobSignalQueryState -DatabasePath $path).QueryKey | Sort-Object |
                Should -Be @('fx-bcn', 'fx-madrid')
            # And back: each state's last run (a state without one names nothing, and is passed over).
            @(Get-JobSignalQueryState -DatabasePath $path | Get-IngestionRun -DatabasePath $path).RunId | Sort-Object | Should -Be (@($ok, $bad) | Sort-Object)
            @([pscustomobject]@{ LastRunId = $null }, [pscustomobject]@{ LastRunId = $ok } | Get-IngestionRun -DatabasePath $path -ErrorVariable nullErrors).RunId |
                Should -Be @($ok)
            $nullErrors.Count | Should -Be 0
            # Typed by name, a null names nothing by mistake (an unset variable): an error, not an empty answer.
            { Get-IngestionRun -DatabasePath $path -RunId $null } | Should -Throw -ErrorId 'RunIdMissing,*'
        }

        It 'reports an unknown id as a non-terminating error and goes on' {
            $found = @(Get-IngestionRun -DatabasePath $path -RunId 4242, $ok -ErrorVariable errs -ErrorAction SilentlyContinue)
            $found.RunId | Should -Be @($ok)
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'IngestionRunNotFound,*'
            $errs[0].TargetObject | Should -Be 4242
        }

        It 'formats runs as a table that fits 120 columns and as a list' {
            $table = Get-IngestionRun -DatabasePath $path | Format-Table | Out-String -Width 120
            $table | Should -Match 'RunId\s+Kind\s+Status\s+Started'
            ($table -split "`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
            $list = Get-IngestionRun -DatabasePath $path -RunId $bad | Format-List | Out-String
            $list | Should -Match 'ErrorMessage\s*:\s*HTTP 500 from InfoJobs'
            $list | Should -Match 'Offers\s*:\s*received 1, inserted 0'
        }
    }
}
