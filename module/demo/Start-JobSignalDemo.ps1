<#
.SYNOPSIS
    The offline demo: replays the bundled sample offers through the whole pipeline into a throw-away store.
.DESCRIPTION
    Get-InfojobsOffer -Path <sample> | Invoke-OfferIngestion | Update-CompanyAggregation, then prints the run record
    and the ranked companies with their evidence. When a spreadsheet is configured ($env:JOBSIGNAL_SPREADSHEET_ID and
    $env:GOOGLE_APPLICATION_CREDENTIALS), the ranking is also synced to it; otherwise the demo says it skipped that.
#>
[CmdletBinding()]
param(
    # The module to demonstrate (default: the one this script ships with).
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../JobSignal.psd1'),
    # Where the demo store goes (default: a new temp folder).
    [string] $DatabasePath = (Join-Path ([IO.Path]::GetTempPath()) "jobsignal-demo-$([guid]::NewGuid().ToString('n').Substring(0, 8))/demo.db")
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$sample = Join-Path $PSScriptRoot '../samples/infojobs-sample.jsonl'

"JobSignal demo: replaying $(Split-Path $sample -Leaf) into $DatabasePath"
$run = Get-InfojobsOffer -Path $sample -ErrorAction SilentlyContinue -ErrorVariable replayProblems |
    Invoke-OfferIngestion -DatabasePath $DatabasePath -ErrorAction SilentlyContinue -ErrorVariable ingestProblems `
        -WarningAction SilentlyContinue -WarningVariable skippedOffers
$companies = $run | Update-CompanyAggregation -DatabasePath $DatabasePath

''
'Ingestion run'
$run | Format-List RunId, Status, Received, Inserted, Updated, Reposts, SkippedNoIdentity, SkippedInvalid, Scored, CatalogVersion | Out-String -Width 120
if ($replayProblems.Count -or $ingestProblems.Count -or $skippedOffers.Count) {
    "The sample contains deliberately bad records; $($replayProblems.Count + $ingestProblems.Count + $skippedOffers.Count) were reported and skipped:"
    ($replayProblems + $ingestProblems) | Select-Object -First 5 | ForEach-Object { "  - $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
    # Ingestion names the offers it skipped (invalid, or without company identity) as warnings.
    $skippedOffers | Select-Object -First 5 | ForEach-Object { "  - $($_.Message)" }
    ''
}

'Top companies'
$companies | Sort-Object MaxScore, StrongOffers -Descending | Select-Object -First 15 |
    Format-Table CompanyId, Name, MaxScore, StrongOffers, UniqueOffers, OfferCount, TopCategory, EvidenceTerms -Wrap |
    Out-String -Width 160

$best = $companies | Sort-Object MaxScore -Descending | Select-Object -First 1
if ($best) {
    "Why $($best.Name) ranks first (its best offer):"
    Get-SignalOffer -DatabasePath $DatabasePath -CompanyId $best.CompanyId | Sort-Object Score -Descending | Select-Object -First 1 |
        Format-List Title, Score, TopCategory, Url | Out-String -Width 120
}

if ($env:JOBSIGNAL_SPREADSHEET_ID -and $env:GOOGLE_APPLICATION_CREDENTIALS) {
    'Syncing the ranking to the configured Google Sheet...'
    $companies | Sync-CompanySheet -DatabasePath $DatabasePath | Format-List | Out-String -Width 120
}
else {
    'Google Sheet sync skipped: set $env:JOBSIGNAL_SPREADSHEET_ID and $env:GOOGLE_APPLICATION_CREDENTIALS to include it.'
}
"The demo store stays at $DatabasePath for you to explore, e.g. Get-SignalCompany -DatabasePath '$DatabasePath' -MinScore 6"
