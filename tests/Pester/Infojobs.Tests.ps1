BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-JobSignalUnderTest
    Add-Type -Path $env:JOBSIGNAL_TEST_FAKES
    $script:sample = Join-Path (Get-Module JobSignal).ModuleBase 'module/samples/infojobs-sample.jsonl'

    function New-Fake([int] $Count = 30) {
        $fake = [JobSignal.TestFakes.FakeInfojobsServer]::new()
        if ($Count) { $fake.AddGeneratedOffers($Count, $null) }
        $fake
    }

    function New-Credential([string] $Id, [string] $Secret) {
        [pscredential]::new($Id, (ConvertTo-SecureString $Secret -AsPlainText -Force))
    }

    # Every stream of a call as text: output, errors (with exception chain, details and target), warnings,
    # verbose, debug and information.
    function Get-AllStreamText([scriptblock] $Call) {
        # An enclosing try turns a terminating error into an exception; catching it keeps its record in the output.
        $records = & { try { & $Call } catch { $_ } } *>&1
        $text = foreach ($r in $records) {
            $r | Out-String -Width 500
            if ($r -is [System.Management.Automation.ErrorRecord]) {
                $r.Exception.ToString(); "$($r.ErrorDetails)"; "$($r.ErrorDetails.RecommendedAction)"; "$($r.TargetObject)"
            }
            elseif ($r -is [System.Management.Automation.InformationalRecord]) { $r.Message }
        }
        [pscustomobject]@{ Records = @($records); Text = $text -join "`n" }
    }

    # Runs a script in a fresh runspace of this process, where the progress stream can be inspected.
    function Invoke-InRunspace([string] $Script, [hashtable] $Parameters) {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$($env:JOBSIGNAL_TEST_MODULE)'").AddStatement().AddScript($Script)
        foreach ($name in $Parameters.Keys) { $null = $ps.AddParameter($name, $Parameters[$name]) }
        $output = $ps.Invoke()
        [pscustomobject]@{ Output = @($output); Progress = @($ps.Streams.Progress); Errors = @($ps.Streams.Error); Shell = $ps }
    }

    function Get-OfferSnapshot($Offer) {
        $Offer | Select-Object -Property * -ExcludeProperty Fetch | ConvertTo-Json -Depth 4 -Compress
    }
}

Describe 'Get-InfojobsOffer against the fake InfoJobs API' {
    BeforeEach {
        $script:savedId = $env:INFOJOBS_CLIENT_ID
        $script:savedSecret = $env:INFOJOBS_CLIENT_SECRET
        $env:INFOJOBS_CLIENT_ID = $null
        $env:INFOJOBS_CLIENT_SECRET = $null
        $script:fake = New-Fake
        $script:credential = New-Credential $fake.ClientId $fake.ClientSecret
    }
    AfterEach {
        $fake.Dispose()
        $env:INFOJOBS_CLIENT_ID = $savedId
        $env:INFOJOBS_CLIENT_SECRET = $savedSecret
    }

    It 'streams every offer with its detail as JobSignal.Offer, in list order' {
        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -PageSize 10)

        $offers.Count | Should -Be 30
        $offers.ProviderOfferId | Should -Be $fake.OfferIds()
        $offers[0].PSObject.TypeNames[0] | Should -Be 'JobSignal.Offer'
        $offers[0].GetType().FullName | Should -Be 'JobSignal.Core.Domain.Offer'
        @($offers | Where-Object { -not $_.Description }).Count | Should -Be 0
        $offers[-1].Fetch.Pages | Should -Be 3
        $offers[-1].Fetch.DetailsFetched | Should -Be 30
        $offers[-1].Fetch.QueryKey | Should -Be 'all'
    }

    It 'reads the credentials from INFOJOBS_CLIENT_ID and INFOJOBS_CLIENT_SECRET' {
        $env:INFOJOBS_CLIENT_ID = $fake.ClientId
        $env:INFOJOBS_CLIENT_SECRET = $fake.ClientSecret

        $offers = @(Get-InfojobsOffer -BaseUri $fake.BaseUri)

        $offers.Count | Should -Be 30
        $fake.Requests.Authorization | Select-Object -Unique | Should -Be $fake.ExpectedAuthorization
    }

    It 'prefers -Credential to the environment variables' {
        $env:INFOJOBS_CLIENT_ID = 'someone-else'
        $env:INFOJOBS_CLIENT_SECRET = 'not-the-secret'

        @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri).Count | Should -Be 30
    }

    It 'stops with InfojobsCredentialsMissing naming both variables when no credentials are given' {
        $err = { Get-InfojobsOffer -BaseUri $fake.BaseUri -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsCredentialsMissing,*'
        $err.Exception.Message | Should -Match 'INFOJOBS_CLIENT_ID'
        $err.Exception.Message | Should -Match 'INFOJOBS_CLIENT_SECRET'
        $fake.Requests.Count | Should -Be 0
    }

    It 'stops with InfojobsCredentialsInvalid for unusable credentials, from -Credential or the environment, before any request' {
        { Get-InfojobsOffer -Credential (New-Credential 'client:id' 'secret') -BaseUri $fake.BaseUri -ErrorAction Stop } |
            Should -Throw -ErrorId 'InfojobsCredentialsInvalid,*'
        $env:INFOJOBS_CLIENT_ID = 'client:id'
        $env:INFOJOBS_CLIENT_SECRET = 'secret'
        { Get-InfojobsOffer -BaseUri $fake.BaseUri -ErrorAction Stop } | Should -Throw -ErrorId 'InfojobsCredentialsInvalid,*'
        # Half a configuration is no "missing credentials": it names the variable that is missing.
        $env:INFOJOBS_CLIENT_ID = $fake.ClientId
        Remove-Item Env:INFOJOBS_CLIENT_SECRET
        $err = { Get-InfojobsOffer -BaseUri $fake.BaseUri -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsCredentialsInvalid,*'
        $err.Exception.Message | Should -BeLike '*INFOJOBS_CLIENT_ID is set but INFOJOBS_CLIENT_SECRET is empty or not set*'
        $fake.Requests.Count | Should -Be 0
    }

    It 'stops with InfojobsCredentialsInvalid for a -Credential with a blank user name, not falling back to the environment' {
        $env:INFOJOBS_CLIENT_ID = $fake.ClientId
        $env:INFOJOBS_CLIENT_SECRET = $fake.ClientSecret
        $blank = [pscredential]::new(' ', (ConvertTo-SecureString 'typed-Secret-5521' -AsPlainText -Force))

        $err = { Get-InfojobsOffer -Credential $blank -BaseUri $fake.BaseUri -NoDetail -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsCredentialsInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -BeLike '*the -Credential user name (the client id) is empty.'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $err.Exception.ToString() | Should -Not -BeLike '*typed-Secret-5521*'
        $fake.Requests.Count | Should -Be 0
    }

    It 'names the setting at fault as the target of a credentials error, in words, without .NET''s parameter suffix (<Case>)' -ForEach @(
        @{ Case = 'none'; Id = $null; Secret = $null; User = $null; ErrorId = 'InfojobsCredentialsMissing'
            Target = '$env:INFOJOBS_CLIENT_ID, $env:INFOJOBS_CLIENT_SECRET'; Message = 'No InfoJobs credentials: pass -Credential *INFOJOBS_CLIENT_ID and INFOJOBS_CLIENT_SECRET.' }
        @{ Case = 'a blank secret variable'; Id = 'fake-client-id'; Secret = '  '; User = $null; ErrorId = 'InfojobsCredentialsInvalid'
            Target = '$env:INFOJOBS_CLIENT_SECRET'; Message = '*INFOJOBS_CLIENT_ID is set but INFOJOBS_CLIENT_SECRET is empty or not set.' }
        @{ Case = 'a client id variable with a colon'; Id = 'client:id'; Secret = 'x'; User = $null; ErrorId = 'InfojobsCredentialsInvalid'
            Target = '$env:INFOJOBS_CLIENT_ID'; Message = "*: `$env:INFOJOBS_CLIENT_ID must not contain ':' (the HTTP Basic separator)." }
        @{ Case = 'a blank -Credential user name'; Id = $null; Secret = $null; User = ' '; ErrorId = 'InfojobsCredentialsInvalid'
            Target = '-Credential'; Message = '*: the -Credential user name (the client id) is empty.' }
        @{ Case = 'a -Credential user name with a colon'; Id = $null; Secret = $null; User = 'a:b'; ErrorId = 'InfojobsCredentialsInvalid'
            Target = '-Credential'; Message = "*: the -Credential user name (the client id) must not contain ':' (the HTTP Basic separator)." }
    ) {
        $env:INFOJOBS_CLIENT_ID = $Id
        $env:INFOJOBS_CLIENT_SECRET = $Secret
        $parameters = @{ BaseUri = $fake.BaseUri }
        if ($User) { $parameters.Credential = New-Credential $User 'typed-Secret-5521' }

        $err = { Get-InfojobsOffer @parameters -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.TargetObject | Should -Be $Target
        $err.Exception.Message | Should -BeLike $Message
        $err.Exception.Message | Should -Not -BeLike "*(Parameter '*"
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*-Credential*'
        "$($err.TargetObject) $($err.Exception) $($err.ErrorDetails.RecommendedAction)" | Should -Not -BeLike '*typed-Secret-5521*'
        $fake.Requests.Count | Should -Be 0
    }

    It 'shows the user info of a -BaseUri (a mirror token) in no stream, verbose lines and errors included' {
        $token = 'MirrorT0ken-7731'
        $withUser = [uri]"http://mirroruser:$token@127.0.0.1:$($fake.Port)/"

        $all = Get-AllStreamText { Get-InfojobsOffer -Credential $credential -BaseUri $withUser -NoDetail -MaxOffers 2 -Verbose -Debug }
        $bad = Get-AllStreamText { Get-InfojobsOffer -Credential $credential -BaseUri ([uri]"ftp://mirroruser:$token@127.0.0.1/") }

        @($all.Records | Where-Object { $_.PSObject.TypeNames[0] -eq 'JobSignal.Offer' }).Count | Should -Be 2
        $all.Text | Should -Match 'GET http://\*\*\*@127\.0\.0\.1'
        $all.Text | Should -Not -BeLike "*$token*"
        $all.Text | Should -Not -BeLike '*mirroruser*'
        @($bad.Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).FullyQualifiedErrorId | Should -BeLike 'InfojobsBaseUriInvalid,*'
        $bad.Text | Should -Not -BeLike "*$token*"
    }

    It 'shows no user info of a mistyped -BaseUri that is no web URI at all (<BaseUri>)' -ForEach @(
        @{ BaseUri = 'mirroruser:S3CRETTOKEN@mirror'; Shown = '***@mirror' }
        @{ BaseUri = 'http//mirroruser:S3CRETTOKEN@mirror/'; Shown = 'http//***@mirror/' }
    ) {
        $err = { Get-InfojobsOffer -Credential $credential -BaseUri $BaseUri -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsBaseUriInvalid,*'
        $err.Exception.Message | Should -Be "-BaseUri '$Shown' must be an absolute http or https URI."
        $err.TargetObject | Should -Be $Shown
        "$($err.Exception.Message) $($err.TargetObject) $($err.ErrorDetails)" | Should -Not -Match 'S3CRETTOKEN|mirroruser'
        $fake.Requests.Count | Should -Be 0
    }

    It 'takes -Order in any case as InfoJobs spells it, and refuses an order InfoJobs does not know before any request' {
        $null = Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -Order 'UPDATED-DESC' -MaxPages 1 -NoDetail
        $fake.RequestsTo('List')[0].Value('order') | Should -Be 'updated-desc'
        $fake.ClearRequests()

        $err = { Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -Order 'newest first please' } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $err.Exception.Message | Should -BeLike "*'newest first please' is not an order InfoJobs accepts (one of relevancia-desc, updated, updated-desc,*"
        $fake.Requests.Count | Should -Be 0
    }

    It 'stops with InfojobsAuthenticationFailed on 401 and never shows the secret' {
        $secret = 'Wr0ng-S3cret-4711'
        $bad = New-Credential $fake.ClientId $secret
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($fake.ClientId):$secret"))

        $err = { Get-InfojobsOffer -Credential $bad -BaseUri $fake.BaseUri -ErrorAction Stop } | Should -Throw -PassThru
        $all = Get-AllStreamText { Get-InfojobsOffer -Credential $bad -BaseUri $fake.BaseUri -Verbose -Debug -InformationAction Continue }

        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsAuthenticationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        @($all.Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).FullyQualifiedErrorId | Should -BeLike 'InfojobsAuthenticationFailed,*'
        @($all.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        $all.Text | Should -Not -BeLike "*$secret*"
        $all.Text | Should -Not -BeLike "*$basic*"
        $err.Exception.ToString() | Should -Not -BeLike "*$secret*"
    }

    It 'stops with InfojobsAuthenticationFailed on 403' {
        $fake.Forbidden = $true

        $err = { Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsAuthenticationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'shows the secret in no stream of a successful verbose run' {
        $all = Get-AllStreamText { Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -Verbose -Debug -InformationAction Continue -SavePayloadPath (Join-Path (New-TestDirectory) 'a.jsonl') }

        @($all.Records | Where-Object { $_.PSObject.TypeNames[0] -eq 'JobSignal.Offer' }).Count | Should -Be 30
        @($all.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 2
        $all.Text | Should -Not -BeLike "*$($fake.ClientSecret)*"
        $all.Text | Should -Not -BeLike "*$($fake.ExpectedAuthorization.Substring(6))*"
    }

    It 'reports InfojobsRateLimited after a 429 storm, stops paging and keeps what it fetched' {
        $fake.FaultEndpoint = 'List'
        $fake.FaultsAfter = 1
        $fake.RateLimitCount = 1000
        $fake.RetryAfterSeconds = 0

        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -PageSize 10 -ErrorVariable errs -ErrorAction SilentlyContinue)

        $offers.ProviderOfferId | Should -Be @($fake.OfferIds() | Select-Object -First 10)
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsRateLimited,*'
        $offers[0].Fetch.TruncationReason | Should -Be 'rate_limited'
        $offers[0].Fetch.RateLimited | Should -Be 5
        $offers[0].Fetch.Retries | Should -Be 4
    }

    It 'emits and archives the offers fetched before a 403 on a later page, so that ingestion stores them in its failed run' {
        $fake.FaultEndpoint = 'List'
        $fake.FaultsAfter = 1
        $fake.ForbiddenCount = 1
        $dir = New-TestDirectory
        $archive = Join-Path $dir 'revoked.jsonl'
        $db = Join-Path $dir 'revoked.db'
        $emitted = [System.Collections.Generic.List[object]]::new()

        $err = {
            Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -PageSize 5 -SavePayloadPath $archive |
                ForEach-Object { $emitted.Add($_); $_ } | Invoke-OfferIngestion -DatabasePath $db
        } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'InfojobsAuthenticationFailed,*'
        $first = @($fake.OfferIds() | Select-Object -First 5)
        $emitted.ProviderOfferId | Should -Be $first
        @(Get-InfojobsOffer -Path $archive).ProviderOfferId | Should -Be $first
        $run = Get-IngestionRun -DatabasePath $db
        $run.Status | Should -Be 'failed'
        $run.Received | Should -Be 5
        $run.Pages | Should -Be 1
        $run.TruncationReason | Should -Be 'authentication_failed'
        @(Get-SignalOffer -DatabasePath $db).Count | Should -Be 5
    }

    It 'streams: Select-Object -First 1 gets the first offer while a later page backs off, without waiting for it' {
        $fake.FaultEndpoint = 'List'
        $fake.FaultsAfter = 1
        $fake.RateLimitCount = 2
        $fake.RetryAfterSeconds = 10
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $first = Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -PageSize 5 | Select-Object -First 1

        $watch.Stop()
        $first.ProviderOfferId | Should -Be $fake.OfferIds()[0]
        # Page 1, and at most page 2's first answer (a 429 whose back-off was cut short): no retry, no later page.
        $fake.RequestsTo('List').Count | Should -BeLessOrEqual 2
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the back-off of page 2 is not waited out'
    }

    It 'has archived the offers fetched before a back-off when the pipeline is stopped during it' {
        $fake.FaultEndpoint = 'List'
        $fake.FaultsAfter = 1
        $fake.RateLimitCount = 1
        $fake.RetryAfterSeconds = 30
        $archive = Join-Path (New-TestDirectory) 'stopped.jsonl'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$($env:JOBSIGNAL_TEST_MODULE)'").AddStatement().AddScript(
            'param($BaseUri, $Credential, $Archive) Get-InfojobsOffer -BaseUri $BaseUri -Credential $Credential -PageSize 5 -SavePayloadPath $Archive').
            AddParameter('BaseUri', $fake.BaseUri).AddParameter('Credential', $credential).AddParameter('Archive', $archive)
        $null = $ps.BeginInvoke()
        # Page 2 waits 30 s for its retry; page 1's offers are written meanwhile.
        for ($i = 0; $i -lt 400 -and @(Get-Content $archive -ErrorAction SilentlyContinue).Count -lt 5; $i++) { Start-Sleep -Milliseconds 50 }
        $watch = [Diagnostics.Stopwatch]::StartNew()

        $ps.Stop()

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        @(Get-Content $archive).Count | Should -Be 5
        @(Get-InfojobsOffer -Path $archive).ProviderOfferId | Should -Be @($fake.OfferIds() | Select-Object -First 5)
        $fake.RequestsTo('List').Count | Should -Be 2
        $ps.Dispose()
    }

    It 'tells each retry as a verbose line and, while it waits, as the progress status' {
        $fake.FaultEndpoint = 'List'
        $fake.RateLimitCount = 2
        $fake.RetryAfterSeconds = 1

        $run = Invoke-InRunspace -Script 'param($BaseUri, $Credential) Get-InfojobsOffer -BaseUri $BaseUri -Credential $Credential -PageSize 10 -MaxOffers 3 -Verbose' `
            -Parameters @{ BaseUri = $fake.BaseUri; Credential = $credential }

        $run.Output.Count | Should -Be 3
        $verbose = @($run.Shell.Streams.Verbose.Message)
        foreach ($retry in 1, 2) {
            $verbose | Should -Contain "GET /api/9/offer?maxResults=10 failed (429 TooManyRequests): retry $retry of 4 in 1 s, as InfoJobs' Retry-After asked."
        }
        $waiting = @($run.Progress | Where-Object StatusDescription -Like 'Waiting 1 s (429 TooManyRequests) before retry ? of 4: GET /api/9/offer?maxResults=10')
        $waiting.Count | Should -Be 2
        $waiting.Activity | Select-Object -Unique | Should -Be 'Searching InfoJobs'
        $run.Progress[-1].RecordType | Should -Be 'Completed'
        $run.Shell.Dispose()
    }

    It 'reports InfojobsDetailMismatch for a detail answered with another offer, naming both, and emits the others' {
        $ids = $fake.OfferIds()
        $fake.SetRawDetail($ids[2], [Text.Encoding]::UTF8.GetBytes('{"id":"OTHER","title":"Another vacancy","description":"x"}'))

        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -ErrorVariable errs -ErrorAction SilentlyContinue)

        $offers.ProviderOfferId | Should -Be @($ids | Where-Object { $_ -ne $ids[2] })
        $offers.ProviderOfferId | Should -Not -Contain 'OTHER'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsDetailMismatch,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject | Should -Be $ids[2]
        $errs[0].Exception.Message | Should -BeLike "*with the detail of offer OTHER, not of offer $($ids[2])*"
        $errs[0].ErrorDetails.RecommendedAction | Should -BeLike 'Check -BaseUri*'
    }

    It 'reports each unreadable list entry by its page and place, with what to do, and emits no id-less offer' {
        $fake.ListBodyOverride = '{"currentPage":1,"totalPages":1,"offers":[1,{"id":{"a":1},"title":"T"},{"title":"no id"}]}'

        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -ErrorVariable errs -ErrorAction SilentlyContinue)

        $offers.Count | Should -Be 0
        $errs.TargetObject | Should -Be @('page 1, offer 1 of 3', 'page 1, offer 2 of 3', 'page 1, offer 3 of 3')
        foreach ($e in $errs) {
            $e.FullyQualifiedErrorId | Should -BeLike 'InfojobsBadResponse,*'
            $e.ErrorDetails.RecommendedAction | Should -BeLike 'Check -BaseUri*'
        }
        $errs[1].Exception.Message | Should -BeLike '*(page 1, offer 2 of 3): Its id is an object, not a text or a number.*'
        $fake.RequestsTo('Detail').Count | Should -Be 0
    }

    It 'reports InfojobsRequestFailed when a page keeps answering 500' {
        $fake.ServerErrorCount = 1000
        $fake.RetryAfterSeconds = 0

        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -ErrorVariable errs -ErrorAction SilentlyContinue)

        $offers.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsRequestFailed,*'
        $errs[0].Exception.Message | Should -Match '500'
    }

    It 'reports InfojobsDetailFailed for one offer and emits the others' {
        $fake.FaultEndpoint = 'Detail'
        $fake.ServerErrorCount = 5
        $fake.RetryAfterSeconds = 0
        $ids = $fake.OfferIds()

        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -DetailConcurrency 1 -ErrorVariable errs -ErrorAction SilentlyContinue)

        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsDetailFailed,*'
        $errs[0].TargetObject | Should -Be $ids[0]
        $offers.ProviderOfferId | Should -Be @($ids | Select-Object -Skip 1)
    }

    It 'warns about an offer whose detail is gone (404)' {
        $ids = $fake.OfferIds()
        $fake.SetMissing($ids[3])

        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errs)

        $offers.Count | Should -Be 29
        $offers.ProviderOfferId | Should -Not -Contain $ids[3]
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*$($ids[3])*"
        $errs.Count | Should -Be 0
    }

    It 'reports InfojobsBadResponse with a snippet for <Case>' -ForEach @(
        @{ Case = 'a body that is not JSON'; Garbage = 1; Body = $null; Expected = '*Mantenimiento*' }
        @{ Case = 'JSON without an offers array'; Garbage = 0; Body = '{"currentPage":1,"results":[]}'; Expected = "*no 'offers' or 'items' array*results*" }
    ) {
        $fake.GarbageCount = $Garbage
        $fake.ListBodyOverride = $Body

        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -ErrorVariable errs -ErrorAction SilentlyContinue)

        $offers.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsBadResponse,*'
        $errs[0].Exception.Message | Should -BeLike $Expected
    }

    It 'rejects a future -Since as a parameter error, before any request' {
        $err = { Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -Since (Get-Date).AddDays(3) } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $err.Exception.Message | Should -BeLike '*in the future*'
        $fake.Requests.Count | Should -Be 0
    }

    It 'rejects a -<Parameter> value that is a list written as one text, before any request' -ForEach @(
        @{ Parameter = 'Province'; Value = 'madrid, barcelona' }
        @{ Parameter = 'Category'; Value = 'comercial y ventas' }
    ) {
        $filter = @{ $Parameter = @('valencia', $Value) }
        $err = { Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri @filter } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $err.Exception.Message | Should -BeLike "*'$Parameter'*'$Value' is not one InfoJobs key*@('madrid', 'barcelona')*"
        $fake.Requests.Count | Should -Be 0
    }

    It 'sends -Since <Since> as sinceDate=<Expected>, and filters, caps and encodes the rest' -ForEach @(
        @{ Since = '_24_HOURS'; Expected = '_24_HOURS' }
        @{ Since = 'any'; Expected = 'ANY' }
        @{ Since = (Get-Date).AddDays(-3); Expected = '_7_DAYS' }
        @{ Since = (Get-Date).AddDays(-10).ToString('yyyy-MM-dd'); Expected = '_15_DAYS' }
    ) {
        $null = Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -Since $Since -Query 'exportación' -Province madrid, barcelona -MaxPages 1 -PageSize 5 -NoDetail

        $request = $fake.RequestsTo('List')[0]
        $request.Value('sinceDate') | Should -Be $Expected
        $request.Values('province') | Should -Be @('madrid', 'barcelona')
        $request.RawQuery | Should -BeLike 'q=exportaci%C3%B3n&*'
        $request.Value('maxResults') | Should -Be '5'
    }

    It 'caps the offers and records why' {
        $offers = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -PageSize 10 -MaxOffers 15 -QueryKey 'my-query')

        $offers.ProviderOfferId | Should -Be @($fake.OfferIds() | Select-Object -First 15)
        $offers[0].Fetch.TruncationReason | Should -Be 'max_offers'
        $offers[0].Fetch.QueryKey | Should -Be 'my-query'
        $fake.RequestsTo('List').Count | Should -Be 2
    }

    It 'emits the same order with -DetailConcurrency 4 as with 1' {
        $fake.DetailLatencySpread = [timespan]::FromMilliseconds(40)

        $four = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -DetailConcurrency 4).ProviderOfferId
        $one = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -DetailConcurrency 1).ProviderOfferId

        $four | Should -Be $one
        $four | Should -Be $fake.OfferIds()
        $fake.MaxConcurrentDetails | Should -BeGreaterThan 1
        $fake.MaxConcurrentDetails | Should -BeLessOrEqual 4
    }

    It 'completes its progress on success and on failure' -ForEach @(
        @{ Case = 'success'; RateLimit = 0 }
        @{ Case = 'a 429 storm after the first page'; RateLimit = 1000 }
    ) {
        $fake.FaultEndpoint = 'List'
        $fake.FaultsAfter = 1
        $fake.RateLimitCount = $RateLimit

        $run = Invoke-InRunspace -Script 'param($BaseUri, $Credential) Get-InfojobsOffer -BaseUri $BaseUri -Credential $Credential -PageSize 10 -ErrorAction SilentlyContinue' `
            -Parameters @{ BaseUri = $fake.BaseUri; Credential = $credential }

        $run.Output.Count | Should -Be $(if ($RateLimit) { 10 } else { 30 })
        $activities = @($run.Progress | Group-Object ActivityId)
        $activities.Count | Should -Be 2
        foreach ($activity in $activities) {
            $activity.Group[-1].RecordType | Should -Be 'Completed' -Because "activity $($activity.Name) must end completed"
        }
        $run.Shell.Dispose()
    }

    It 'stops promptly when the pipeline is stopped' {
        $fake.AddGeneratedOffers(200, $null)
        $fake.Latency = [timespan]::FromMilliseconds(200)
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$($env:JOBSIGNAL_TEST_MODULE)'").AddStatement().AddScript(
            'param($BaseUri, $Credential) Get-InfojobsOffer -BaseUri $BaseUri -Credential $Credential -PageSize 50 -MaxOffers 230').
            AddParameter('BaseUri', $fake.BaseUri).AddParameter('Credential', $credential)
        $async = $ps.BeginInvoke()
        for ($i = 0; $i -lt 400 -and $fake.RequestsTo('Detail').Count -lt 4; $i++) { Start-Sleep -Milliseconds 25 }

        $ps.Stop()

        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $fake.RequestsTo('Detail').Count | Should -BeGreaterOrEqual 4
        $fake.Requests.Count | Should -BeLessThan 40
        $ps.Dispose()
    }

    It 'archives what the API returned with -SavePayloadPath, and -Path replays the same offers' {
        $fake.SetMissing($fake.OfferIds()[5])
        $archive = Join-Path (New-TestDirectory) 'archive/infojobs.jsonl'

        $fetched = @(Get-InfojobsOffer -Credential $credential -BaseUri $fake.BaseUri -SavePayloadPath $archive -WarningAction SilentlyContinue)
        $replayed = @(Get-InfojobsOffer -Path $archive)

        $fetched.Count | Should -Be 29
        @(Get-Content $archive).Count | Should -Be 29
        $replayed.Count | Should -Be 29
        for ($i = 0; $i -lt 29; $i++) { Get-OfferSnapshot $replayed[$i] | Should -Be (Get-OfferSnapshot $fetched[$i]) }
        $replayed[0].Fetch | Should -BeNullOrEmpty
    }
}

Describe 'Get-InfojobsOffer -Path (replay)' {
    BeforeAll { $script:work = New-TestDirectory }
    AfterAll { Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue }

    It 'replays the bundled sample without credentials' {
        $env:INFOJOBS_CLIENT_ID = $null
        $offers = @(Get-InfojobsOffer -Path $sample -ErrorVariable errs)

        $errs.Count | Should -Be 0
        $offers.Count | Should -Be 150
        $offers[0].PSObject.TypeNames[0] | Should -Be 'JobSignal.Offer'
        @($offers | Where-Object { $_.Company.Hidden }).Count | Should -BeGreaterThan 0
        @($offers | Where-Object { $_.Company.Website }).Count | Should -BeGreaterThan 50
        @($offers | Where-Object { -not $_.Title }).Count | Should -Be 3
        @($offers.ProviderOfferId | Select-Object -Unique).Count | Should -Be 150
    }

    It 'reports a malformed line as InfojobsPayloadInvalid with file and line, and reads the rest' {
        $file = Join-Path $work 'broken.jsonl'
        Set-Content $file -Value @('{"id":"one","title":"Uno"}', '{"id": "two", ', '{"id":"three","title":"Tres"}')

        $offers = @(Get-InfojobsOffer -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)

        $offers.ProviderOfferId | Should -Be @('one', 'three')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsPayloadInvalid,*'
        $errs[0].Exception.Message | Should -BeLike "*broken.jsonl, line 2*"
        { Get-InfojobsOffer -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'InfojobsPayloadInvalid*'
    }

    It 'reports a line that is no InfoJobs offer as InfojobsPayloadInvalid with file and line, not as an empty offer' {
        $file = Join-Path $work 'not-offers.jsonl'
        Set-Content $file -Value @('{"spreadsheetId":"abc","rows":3}', '{"id":"one","title":"Uno"}', '{"foo":1}')

        $offers = @(Get-InfojobsOffer -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)

        $offers.ProviderOfferId | Should -Be @('one')
        $errs.Count | Should -Be 2
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InfojobsPayloadInvalid,*' }
        $errs.TargetObject | Should -Be @("$file, line 1", "$file, line 3")
        $errs[0].Exception.Message | Should -Be "Unreadable InfoJobs payload in $file, line 1: It is not an InfoJobs offer: it has no id (its fields: spreadsheetId, rows)."
    }

    It 'shows replay progress at most every 200 ms, ending with the final count, and completes it' {
        # The sample twenty times over: 3,000 offers, the per-offer cost is what the test is about.
        $file = Join-Path $work 'many.jsonl'
        $lines = Get-Content $sample
        Set-Content $file -Value (1..20 | ForEach-Object { $lines })

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $run = Invoke-InRunspace -Script 'param($Path) Get-InfojobsOffer -Path $Path | Measure-Object' -Parameters @{ Path = $file }
        $watch.Stop()

        $run.Output[0].Count | Should -Be 3000
        $statuses = @($run.Progress | Where-Object RecordType -EQ 'Processing')
        $statuses[0].StatusDescription | Should -Be "$($file): 1 offers"
        $statuses[-1].StatusDescription | Should -Be "$($file): 3000 offers"
        $statuses.Count | Should -BeLessOrEqual (2 + [math]::Floor($watch.Elapsed.TotalMilliseconds / 190))
        $run.Progress[-1].RecordType | Should -Be 'Completed'
        $run.Shell.Dispose()
    }

    It 'stops reading when the pipeline wants no more (Select-Object -First) and releases the file' {
        $file = Join-Path $work 'first.jsonl'
        $lines = Get-Content $sample
        Set-Content $file -Value (1..20 | ForEach-Object { $lines })

        $first = @(Get-InfojobsOffer -Path $file | Select-Object -First 3)

        $first.ProviderOfferId | Should -Be @($lines[0..2] | ForEach-Object { ($_ | ConvertFrom-Json).id })
        # Exclusive access is refused while the replay still has the file open.
        [IO.FileStream]::new($file, 'Open', 'ReadWrite', 'None').Dispose()
    }

    It 'reports a path that matches nothing as InfojobsPayloadPathNotFound' {
        $offers = @(Get-InfojobsOffer -Path (Join-Path $work 'nothing-*.jsonl'), $sample -ErrorVariable errs -ErrorAction SilentlyContinue)

        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsPayloadPathNotFound,*'
        $offers.Count | Should -Be 150
    }

    It 'replays a file whose name holds [ ]: piped from Get-ChildItem, by -LiteralPath and its aliases' {
        $folder = Join-Path $work 'brackets'
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        $file = Join-Path $folder 'offers[2024].jsonl'
        [IO.File]::WriteAllLines($file, [string[]] (Get-Content $sample -TotalCount 3))
        $expected = @(Get-Content $sample -TotalCount 3 | ForEach-Object { ($_ | ConvertFrom-Json).id })

        $piped = @(Get-ChildItem -LiteralPath $folder -Filter '*2024*' | Get-InfojobsOffer -ErrorVariable pipedErrors)
        $pipedItem = @(Get-Item -LiteralPath $file | Get-InfojobsOffer)
        $literal = @(Get-InfojobsOffer -LiteralPath $file)
        $alias = @(Get-InfojobsOffer -LP $file)
        $folderLiteral = @(Get-InfojobsOffer -LiteralPath $folder)

        $pipedErrors.Count | Should -Be 0
        foreach ($offers in $piped, $pipedItem, $literal, $alias, $folderLiteral) { $offers.ProviderOfferId | Should -Be $expected }
    }

    It 'refuses a -LiteralPath of another provider or a missing drive with PathNotFileSystem, as every file parameter' {
        foreach ($path in 'Env:/js-payloads', 'NoSuchDrive:/offers.jsonl') {
            $offers = @(Get-InfojobsOffer -LiteralPath $path -ErrorVariable errs -ErrorAction SilentlyContinue)
            $offers.Count | Should -Be 0
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFileSystem,*'
            $errs[0].Exception.Message | Should -BeLike "-LiteralPath '$path' is not a file-system path*"
        }
        # -Path too, for items of another provider that exist or not and a missing drive; the other paths are still read.
        $offers = @(Get-InfojobsOffer -Path Env:/PATH, Env:/NO_SUCH_VARIABLE, NoSuchDrive:/x.jsonl, $sample -ErrorVariable errs -ErrorAction SilentlyContinue)
        $offers.Count | Should -Be @(Get-InfojobsOffer -Path $sample).Count
        $errs.Count | Should -Be 3
        $errs.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'PathNotFileSystem,*' }
        $errs[0].Exception.Message | Should -Be "-Path 'Env:/PATH' is not a file-system path: it names an item of the Environment provider."
        $errs[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It '-Path expands wildcards (metadata and help say so); a name with [ ] given to it points at -LiteralPath' {
        $file = Join-Path $work 'year[2025].jsonl'
        [IO.File]::WriteAllLines($file, [string[]] (Get-Content $sample -TotalCount 2))

        $offers = @(Get-InfojobsOffer -Path $file -ErrorVariable errs -ErrorAction SilentlyContinue)
        $missing = @(Get-InfojobsOffer -LiteralPath (Join-Path $work 'none[1].jsonl') -ErrorVariable literalErrs -ErrorAction SilentlyContinue)

        $offers.Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsPayloadPathNotFound,*'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match '-LiteralPath'
        $missing.Count | Should -Be 0
        $literalErrs[0].FullyQualifiedErrorId | Should -BeLike 'InfojobsPayloadPathNotFound,*'
        $literalErrs[0].TargetObject | Should -BeLike '*none`[1`].jsonl'
        $parameters = (Get-Command Get-InfojobsOffer).Parameters
        @($parameters.Path.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count | Should -Be 1
        $parameters.LiteralPath.Aliases | Should -Be @('PSPath', 'LP')
        (Get-Help Get-InfojobsOffer -Parameter Path).globbing | Should -Be 'true'
        (Get-Help Get-InfojobsOffer -Parameter LiteralPath).globbing | Should -Be 'false'
    }

    It 'warns, naming the folder and the extensions replayed, about a folder with nothing to replay' -ForEach @(
        @{ Case = 'empty'; Files = @() }
        @{ Case = 'only .txt'; Files = @('a.txt') }
    ) {
        $folder = Join-Path $work "nothing-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory -Path $folder | Out-Null
        foreach ($name in $Files) { Set-Content (Join-Path $folder $name) -Value (Get-Content $sample -TotalCount 1) }

        $offers = @(Get-InfojobsOffer -Path $folder -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errs)

        $offers.Count | Should -Be 0
        $errs.Count | Should -Be 0
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*'$folder'*"
        "$($warnings[0])" | Should -Match '\*\.json, \*\.jsonl, \*\.ndjson'
    }

    It 'takes files from Get-ChildItem by pipeline, and reads list answers and folders' {
        $folder = Join-Path $work 'mixed'
        New-Item -ItemType Directory -Path (Join-Path $folder 'sub') -Force | Out-Null
        Copy-Item (Get-RepoPath 'tests/JobSignal.Core.Tests/TestData/sample_search_response.json') (Join-Path $folder 'a-list.json')
        Set-Content (Join-Path $folder 'sub/b.jsonl') -Value '{"id":"b1","title":"Detalle"}'

        $piped = @(Get-ChildItem $folder -Recurse -File | Get-InfojobsOffer)
        $whole = @(Get-InfojobsOffer -Path $folder)

        $piped.ProviderOfferId | Should -Be @('0bb014b42f407ca6e988dc789f5a5a', 'b1')
        $whole.ProviderOfferId | Should -Be @('0bb014b42f407ca6e988dc789f5a5a', 'b1')
        $whole[0].PublishedAt | Should -Be ([datetimeoffset]'2012-09-21T10:26:23Z')
    }
}

# Runs only where real credentials are in the environment (never in CI without them).
Describe 'Get-InfojobsOffer against the real InfoJobs API' {
    It 'reads one small page with details' -Skip:(-not ($env:INFOJOBS_CLIENT_ID -and $env:INFOJOBS_CLIENT_SECRET)) {
        $offers = @(Get-InfojobsOffer -Query 'contabilidad' -Since _7_DAYS -PageSize 3 -MaxPages 1)

        $offers.Count | Should -BeGreaterThan 0
        foreach ($offer in $offers) {
            $offer.ProviderOfferId | Should -Not -BeNullOrEmpty
            $offer.Url | Should -BeLike 'https://*infojobs.net/*'
            $offer.Description | Should -Not -BeNullOrEmpty
            $offer.PublishedAt.Offset | Should -Be ([timespan]::Zero)
        }
        $offers[0].Fetch.Pages | Should -Be 1
    }
}

Describe 'Get-InfojobsOffer -DatabasePath (details only for what changed)' {
    BeforeAll {
        $script:fake = New-Fake 12
        $script:db = Join-Path (New-TestDirectory) 'skip.db'
        $script:search = @{
            Query = ''; BaseUri = $fake.BaseUri; MaxOffers = 12
            Credential = New-Credential $fake.ClientId $fake.ClientSecret
        }
        $search.Remove('Query')
        $script:first = Get-InfojobsOffer @search | Invoke-OfferIngestion -DatabasePath $db
    }
    AfterAll { $fake.Dispose() }

    It 'fetches no detail of offers stored with the same update date, and ingestion keeps their text' {
        $fake.ClearRequests()
        $before = @(Get-SignalOffer -DatabasePath $db | Sort-Object OfferId)
        $offers = @(Get-InfojobsOffer @search -DatabasePath $db -Verbose 4>&1)
        $verbose = $offers | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $offers = @($offers | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        # Reposts were stored as repost ids of another offer: only those are fetched again.
        $unchanged = 12 - $first.Reposts
        $fake.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count | Should -Be $first.Reposts
        $offers.Count | Should -Be 12
        @($offers | Where-Object DetailOmitted).Count | Should -Be $unchanged
        ($verbose.Message -join "`n") | Should -Match "$unchanged unchanged since stored"

        $run = $offers | Invoke-OfferIngestion -DatabasePath $db
        $run.Updated | Should -Be 12
        $run.Inserted | Should -Be 0
        $after = @(Get-SignalOffer -DatabasePath $db | Sort-Object OfferId)
        for ($i = 0; $i -lt $before.Count; $i++) {
            $after[$i].Description | Should -Be $before[$i].Description
            $after[$i].Score | Should -Be $before[$i].Score
        }
    }

    It 'closes the store it read when the pipeline ends: the store file alone holds everything (no -wal left)' {
        $run = Get-InfojobsOffer @search -DatabasePath $db | Invoke-OfferIngestion -DatabasePath $db
        $run.Status | Should -Be 'success'
        Test-Path "$db-wal" | Should -BeFalse
        Test-Path "$db-shm" | Should -BeFalse
    }

    It 'fetches the detail of offers stored from their list item only (-NoDetail), and ingestion scores them' {
        $listOnly = Join-Path (New-TestDirectory) 'list-only.db'
        $null = Get-InfojobsOffer @search -NoDetail | Invoke-OfferIngestion -DatabasePath $listOnly
        @(Get-SignalOffer -DatabasePath $listOnly | Where-Object Description).Count | Should -Be 0
        $fake.ClearRequests()

        $offers = @(Get-InfojobsOffer @search -DatabasePath $listOnly)

        $fake.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count | Should -Be 12
        @($offers | Where-Object DetailOmitted).Count | Should -Be 0
        $null = $offers | Invoke-OfferIngestion -DatabasePath $listOnly
        $stored = @(Get-SignalOffer -DatabasePath $listOnly)
        @($stored | Where-Object Description).Count | Should -Be $stored.Count
        ($stored | Measure-Object Score -Maximum).Maximum | Should -Be (Get-SignalOffer -DatabasePath $db | Measure-Object Score -Maximum).Maximum
    }

    It 'fetches every detail when it also archives (-SavePayloadPath), so that the archive replays as the offers' {
        $archive = Join-Path (New-TestDirectory) 'archive'
        $fake.ClearRequests()

        $offers = @(Get-InfojobsOffer @search -DatabasePath $db -SavePayloadPath "$archive/")

        $fake.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count | Should -Be 12
        @($offers | Where-Object DetailOmitted).Count | Should -Be 0
        $replayDb = Join-Path (New-TestDirectory) 'replayed.db'
        $null = Get-InfojobsOffer -Path $archive | Invoke-OfferIngestion -DatabasePath $replayDb
        Get-SignalOffer -DatabasePath $replayDb | Sort-Object ProviderOfferId | Select-Object ProviderOfferId, Description, Score | ConvertTo-Json |
            Should -Be (Get-SignalOffer -DatabasePath $db | Where-Object { $_.IsCanonical } | Sort-Object ProviderOfferId | Select-Object ProviderOfferId, Description, Score | ConvertTo-Json)
    }

    It 'neither creates a -DatabasePath that does not exist nor skips details: it warns' {
        $missing = Join-Path (New-TestDirectory) 'typo.db'
        $fake.ClearRequests()

        $offers = @(Get-InfojobsOffer @search -DatabasePath $missing -WarningVariable warnings -WarningAction SilentlyContinue)

        Test-Path $missing | Should -BeFalse
        $offers.Count | Should -Be 12
        $fake.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count | Should -Be 12
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*no store at '$missing'*every offer*"
    }

    It 'stops with StoreUnusable for a -DatabasePath that is a folder, as every cmdlet does, before any request' {
        $folder = New-TestDirectory
        $fake.ClearRequests()

        $err = { Get-InfojobsOffer @search -DatabasePath $folder -ErrorAction Stop 3>$null } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'StoreUnusable,*'
        $err.Exception.Message | Should -BeLike "*'$folder' cannot be used: it is a folder, not a file."
        $fake.Requests.Count | Should -Be 0
        { Get-SignalCompany -DatabasePath $folder -ErrorAction Stop } | Should -Throw -ErrorId 'StoreUnusable,*'
    }

    It 'runs the documented recipe on a first run: ingestion creates the store, no warning' {
        $first = Join-Path (New-TestDirectory) 'first.db'

        $run = Get-InfojobsOffer @search -DatabasePath $first -WarningVariable warnings | Invoke-OfferIngestion -DatabasePath $first

        $warnings.Count | Should -Be 0
        $run.Status | Should -Be 'success'
        $run.Received | Should -Be 12
        $run.DetailsFetched | Should -Be 12
    }

    It 'fetches every detail again with -Force' {
        $fake.ClearRequests()
        $offers = @(Get-InfojobsOffer @search -DatabasePath $db -Force)
        $fake.RequestsTo([JobSignal.TestFakes.FakeInfojobsEndpoint]::Detail).Count | Should -Be 12
        $offers | ForEach-Object { $_.DetailOmitted | Should -BeFalse }
    }
}

Describe 'Get-JobSignalQueryState' {
    BeforeAll { $script:db = Join-Path (New-TestDirectory) 'state.db' }

    It 'reports a -QueryKey without wildcards that names no query as QueryStateNotFound; a wildcard matching nothing is silent' {
        $null = Get-IngestionRun -DatabasePath $db -WarningAction SilentlyContinue

        $states = @(Get-JobSignalQueryState -DatabasePath $db -QueryKey 'no-such-query', 'no-such-*' -ErrorVariable errs -ErrorAction SilentlyContinue)

        $states.Count | Should -Be 0
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'QueryStateNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'no-such-query'
        $errs[0].Exception.Message | Should -BeLike "*'no-such-query'*"
        $errs[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }
}
