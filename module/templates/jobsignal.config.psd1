# JobSignal scheduled pipeline configuration (Invoke-JobSignalPipeline -ConfigPath <this file>).
# Secrets never go here: InfoJobs credentials come from $env:INFOJOBS_CLIENT_ID / $env:INFOJOBS_CLIENT_SECRET,
# the Google service-account key file from Sheet.CredentialPath or $env:GOOGLE_APPLICATION_CREDENTIALS.
# Only this one hashtable of data may be in the file; an unknown or misspelt key is an error, not ignored.
@{
    # The SQLite store. Relative paths are relative to this file; ~/... is your home folder.
    # Default: $env:JOBSIGNAL_DB, else JobSignal/jobsignal.db under the local application-data folder.
    DatabasePath = 'jobsignal.db'

    # A keyword catalog; $null uses $env:JOBSIGNAL_CATALOG, else the catalog shipped with the module.
    CatalogPath  = $null

    Infojobs     = @{
        # BaseUri         = 'https://api.infojobs.net'
        DetailConcurrency = 4
    }

    # Each query runs on its own; one that fails is recorded (Get-JobSignalQueryState) and the others still run.
    # Since: _24_HOURS, _7_DAYS, _15_DAYS, ANY or a past date. Left out, it defaults from the query's last success
    # (with a margin of an hour or the last run's duration: a daily schedule asks for _7_DAYS).
    # Query: left out, every offer. Order: relevancia-desc, updated, updated-desc, title(-desc), city(-desc),
    # author(-desc) or applicants-asc. Keys compare case-insensitively.
    # Provinces / Categories: InfoJobs keys, one per item: @('madrid', 'barcelona').
    Queries      = @(
        @{ Key = 'pagos-internacionales'; Query = 'pagos internacionales'; MaxPages = 10; MaxOffers = 500 }
        @{ Key = 'comercio-exterior-madrid'; Query = 'comercio exterior'; Provinces = @('madrid'); Since = '_7_DAYS' }
    )

    Sheet        = @{
        Enabled        = $true          # $false: neither the sync nor the feedback import runs
        SpreadsheetId  = $null          # or $env:JOBSIGNAL_SPREADSHEET_ID; neither this nor a key file -> the sync is skipped,
                                        # one without the other -> the sync and feedback stages fail
        CredentialPath = $null          # or $env:GOOGLE_APPLICATION_CREDENTIALS
        SheetName      = 'Companies'
        HeaderLanguage = 'es'           # es or en
    }

    Feedback     = @{ Enabled = $true } # import the reps' resolutions and model feedback after the sync

    Lock         = @{ TtlMinutes = 120 } # a lock older than this (a crashed run) is taken over
}
