using JobSignal.Core.Aggregation;
using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Aggregation;

public class CompanyAggregatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset DaysAgo(double days) => Now.AddDays(-days);

    private static CompanyOffer Offer(long id, int? score, string? category = "fx_currency",
        DateTimeOffset? published = null, DateTimeOffset? updated = null,
        DateTimeOffset? firstSeen = null, DateTimeOffset? lastSeen = null,
        int reposts = 0, params string[] evidence) =>
        Offer(id, score, category, published, updated, firstSeen, lastSeen, reposts, evidence.Select(term => new EvidenceTerm(term, 1m)).ToArray());

    // Strong as the default catalog scores it (6 or more), unless a case says what its match said.
    private static CompanyOffer Offer(long id, int? score, string? category, DateTimeOffset? published, DateTimeOffset? updated,
        DateTimeOffset? firstSeen, DateTimeOffset? lastSeen, int reposts, EvidenceTerm[] evidence, bool? strong = null) =>
        new(id, $"https://www.infojobs.net/of-{id}", score, strong ?? score >= 6, category, published, updated,
            firstSeen ?? DaysAgo(40), lastSeen ?? DaysAgo(10), reposts, evidence);

    [Fact]
    public void Counts_scores_and_strong_offers()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, 9, reposts: 2),
            Offer(2, 6),
            Offer(3, 5, reposts: 1),
            Offer(4, 0),
        ], Now);

        Assert.Equal(9, metrics.MaxScore);
        Assert.Equal(4, metrics.UniqueOfferCount);
        Assert.Equal(7, metrics.OfferCount);
        Assert.Equal(2, metrics.StrongOfferCount);
        Assert.Equal(7.5, metrics.AvgStrongScore);
        Assert.Equal(1, metrics.TopOfferId);
        Assert.Equal("https://www.infojobs.net/of-1", metrics.TopOfferUrl);
        Assert.Equal("fx_currency", metrics.TopOfferCategory);
    }

    [Theory]
    [InlineData(5, 0)]
    [InlineData(6, 1)]
    public void Strong_offers_count_with_their_score_and_date(int score, int strong)
    {
        var metrics = CompanyAggregator.Aggregate([Offer(1, score, published: DaysAgo(3))], Now);

        Assert.Equal(strong, metrics.StrongOfferCount);
        Assert.Equal(strong == 1 ? score : null, metrics.AvgStrongScore);
        Assert.Equal(strong == 1 ? DaysAgo(3) : null, metrics.LastStrongAt);
    }

    [Fact]
    public void Strong_offers_are_what_their_stored_matches_say_whatever_the_score()
    {
        // Scored with a tuned catalog (strong from 9): the 8 is not strong. Scored with a lenient one: the 5 is.
        CompanyOffer Scored(long id, int score, bool strong, int daysAgo) =>
            Offer(id, score, "fx_currency", DaysAgo(daysAgo), null, null, null, 0, [], strong);
        var metrics = CompanyAggregator.Aggregate(
            [Scored(1, 9, true, 20), Scored(2, 8, false, 1), Scored(3, 5, true, 10), Scored(4, 6, false, 2)], Now);

        Assert.Equal(2, metrics.StrongOfferCount);
        Assert.Equal(7.0, metrics.AvgStrongScore);
        Assert.Equal(DaysAgo(10), metrics.LastStrongAt);
        Assert.Equal(9, metrics.MaxScore);
    }

    [Fact]
    public void An_unscored_offer_is_never_strong()
    {
        var metrics = CompanyAggregator.Aggregate([Offer(1, null, "fx", DaysAgo(1), null, null, null, 0, [], strong: true)], Now);

        Assert.Equal((0, (double?)null, (DateTimeOffset?)null), (metrics.StrongOfferCount, metrics.AvgStrongScore, metrics.LastStrongAt));
    }

    [Fact]
    public void Reposts_weight_activity_but_not_strong_counts_or_averages()
    {
        var metrics = CompanyAggregator.Aggregate([Offer(1, 8, reposts: 10), Offer(2, 6)], Now);

        Assert.Equal(12, metrics.OfferCount);
        Assert.Equal(2, metrics.UniqueOfferCount);
        Assert.Equal(2, metrics.StrongOfferCount);
        Assert.Equal(7.0, metrics.AvgStrongScore);
    }

    [Fact]
    public void Unscored_offers_count_as_offers_but_not_as_scores()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, null, category: null, lastSeen: DaysAgo(1), reposts: 1, evidence: ["USD"]),
            Offer(2, 3, category: "tech_cloud", lastSeen: DaysAgo(50)) with { Categories = [new("tech_cloud", 1.5m)] },
        ], Now);

        Assert.Equal(3, metrics.MaxScore);
        Assert.Equal(2, metrics.TopOfferId);
        Assert.Equal(3, metrics.OfferCount);
        Assert.Equal(2, metrics.UniqueOfferCount);
        Assert.Equal(0, metrics.StrongOfferCount);
        Assert.Equal(1, metrics.RecentOfferCount);
        Assert.Equal(DaysAgo(1), metrics.LastSeenAt);
        Assert.Equal(["USD"], metrics.EvidenceTerms);
        Assert.Equal([new CategoryMaxScore("tech_cloud", 1.5m, 3)], metrics.CategoryMaxScores);
    }

    [Fact]
    public void Only_unscored_offers_give_no_score_and_no_top_offer()
    {
        var metrics = CompanyAggregator.Aggregate([Offer(1, null), Offer(2, null)], Now);

        Assert.Null(metrics.MaxScore);
        Assert.Null(metrics.TopOfferId);
        Assert.Null(metrics.TopOfferUrl);
        Assert.Null(metrics.AvgStrongScore);
        Assert.Equal(2, metrics.UniqueOfferCount);
        Assert.Empty(metrics.CategoryMaxScores);
    }

    [Fact]
    public void No_offers_give_empty_metrics()
    {
        var metrics = CompanyAggregator.Aggregate([], Now);

        Assert.Null(metrics.MaxScore);
        Assert.Equal(0, metrics.OfferCount);
        Assert.Equal(0, metrics.UniqueOfferCount);
        Assert.Null(metrics.FirstSeenAt);
        Assert.Null(metrics.LastSeenAt);
        Assert.Null(metrics.LastStrongAt);
        Assert.Empty(metrics.EvidenceTerms);
        Assert.Equal("", metrics.EvidenceText);
    }

    [Fact]
    public void Top_offer_tie_goes_to_the_most_recently_published()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, 8, published: DaysAgo(20)),
            Offer(2, 8, published: DaysAgo(5)),
            Offer(3, 8, published: DaysAgo(9)),
        ], Now);

        Assert.Equal(2, metrics.TopOfferId);
    }

    [Fact]
    public void Recency_falls_back_from_published_to_updated_to_last_seen()
    {
        // 1: published 10 days ago; 2: no published date, updated 4 days ago; 3: no dates, last seen 2 days ago.
        CompanyOffer[] offers =
        [
            Offer(1, 7, published: DaysAgo(10), updated: DaysAgo(1), lastSeen: DaysAgo(0)),
            Offer(2, 7, updated: DaysAgo(4), lastSeen: DaysAgo(3)),
            Offer(3, 7, lastSeen: DaysAgo(2)),
        ];

        Assert.Equal(3, CompanyAggregator.Aggregate(offers, Now).TopOfferId);
        Assert.Equal(2, CompanyAggregator.Aggregate(offers[..2], Now).TopOfferId);
        Assert.Equal(DaysAgo(2), CompanyAggregator.Aggregate(offers, Now).LastStrongAt);
    }

    [Fact]
    public void Full_tie_goes_to_the_higher_offer_id()
    {
        var when = DaysAgo(3);
        var metrics = CompanyAggregator.Aggregate(
            [Offer(5, 9, published: when), Offer(12, 9, published: when), Offer(7, 9, published: when)], Now);

        Assert.Equal(12, metrics.TopOfferId);
    }

    [Fact]
    public void Last_strong_is_the_most_recent_strong_offer_only()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, 6, published: DaysAgo(30)),
            Offer(2, 9, published: DaysAgo(60)),
            Offer(3, 5, published: DaysAgo(1)),
        ], Now);

        Assert.Equal(DaysAgo(30), metrics.LastStrongAt);
    }

    [Fact]
    public void A_vacancy_published_again_counts_from_its_latest_publication()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            // A strong vacancy first published 60 days ago, published again yesterday (a repost).
            Offer(1, 8, published: DaysAgo(60), reposts: 1) with { RepublishedAt = DaysAgo(1) },
            Offer(2, 8, published: DaysAgo(5)),
            // A weak one published again today: no strong signal.
            Offer(3, 4, published: DaysAgo(90), reposts: 1) with { RepublishedAt = DaysAgo(0) },
            // A repost dated before the offer's own publication changes nothing.
            Offer(4, 9, published: DaysAgo(20)) with { RepublishedAt = DaysAgo(30) },
        ], Now);

        Assert.Equal(DaysAgo(1), metrics.LastStrongAt);
        Assert.Equal(4, metrics.TopOfferId);
        Assert.Equal(1, CompanyAggregator.Aggregate(
            [Offer(1, 8, published: DaysAgo(60)) with { RepublishedAt = DaysAgo(1) }, Offer(2, 8, published: DaysAgo(5))], Now).TopOfferId);
    }

    [Fact]
    public void Seen_dates_and_recent_window()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, 2, firstSeen: DaysAgo(100), lastSeen: DaysAgo(30)),
            Offer(2, 2, firstSeen: DaysAgo(45), lastSeen: DaysAgo(30.0001)),
            Offer(3, 2, firstSeen: DaysAgo(20), lastSeen: DaysAgo(0)),
        ], Now);

        Assert.Equal(DaysAgo(100), metrics.FirstSeenAt);
        Assert.Equal(Now, metrics.LastSeenAt);
        Assert.Equal(2, metrics.RecentOfferCount);
    }

    [Fact]
    public void Dates_come_back_in_utc()
    {
        var local = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.FromHours(2));
        var metrics = CompanyAggregator.Aggregate([Offer(1, 7, published: local, firstSeen: local, lastSeen: local)], Now);

        Assert.Equal(TimeSpan.Zero, metrics.FirstSeenAt!.Value.Offset);
        Assert.Equal(TimeSpan.Zero, metrics.LastStrongAt!.Value.Offset);
        Assert.Equal(local, metrics.LastSeenAt);
    }

    [Fact]
    public void Category_scores_cover_every_category_that_earned_points_not_only_top_ones()
    {
        CompanyOffer Scored(long id, int? score, string? top, params (string Category, decimal Points)[] categories) =>
            Offer(id, score, top) with { Categories = categories.Select(c => new CategoryPoints(c.Category, c.Points)).ToArray() };
        var metrics = CompanyAggregator.Aggregate(
        [
            // A tie of points: currency_ops is the top category (catalog order), cross-border counts all the same.
            Scored(1, 10, "fx_currency", ("fx_currency", 4m), ("fx_crossborder", 4m)),
            Scored(2, 6, "fx_crossborder", ("tech_cloud", 1.5m), ("fx_crossborder", 2.5m)),
            Scored(3, 3, "intl_trade", ("intl_trade", 6m), ("empty", 0m)),
            Scored(4, null, null),
        ], Now);

        // Per category: its most points in one offer, and the best score of an offer in which it earned points.
        Assert.Equal(
            [new("intl_trade", 6m, 3), new("fx_crossborder", 4m, 10), new("fx_currency", 4m, 10), new CategoryMaxScore("tech_cloud", 1.5m, 6)],
            metrics.CategoryMaxScores);
    }

    [Fact]
    public void Evidence_terms_of_equal_points_ranked_by_offers_carrying_them()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, 9, published: DaysAgo(1), evidence: ["USD", "pagos internacionales", "USD"]),
            Offer(2, 7, evidence: ["AWS", "usd"]),
            Offer(3, 5, evidence: ["AWS", "Stripe", "pagos internacionales"]),
            Offer(4, null, evidence: ["AWS"]),
            Offer(5, 2, evidence: ["HubSpot", " ", "SWIFT"]),
        ], Now, new AggregationOptions { EvidenceTermCount = 4 });

        // AWS: 3 offers; USD: 2 (once per offer, any case); pagos internacionales: 2; then ties by first appearance
        // reading offers best first: Stripe (offer 3) before HubSpot and SWIFT (offer 5).
        Assert.Equal(["AWS", "USD", "pagos internacionales", "Stripe"], metrics.EvidenceTerms);
        Assert.Equal("AWS, USD, pagos internacionales, Stripe", metrics.EvidenceText);
    }

    [Fact]
    public void Evidence_terms_ranked_by_the_points_they_brought_so_fx_terms_lead_a_proxy_found_more_often()
    {
        EvidenceTerm[] Terms(params (string Term, decimal Points)[] terms) => terms.Select(t => new EvidenceTerm(t.Term, t.Points)).ToArray();
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, 9, "fx", null, null, null, null, 0, Terms(("International Payments", 4m), ("AWS", 1m))),
            Offer(2, 6, "fx", null, null, null, null, 0, Terms(("Divisa", 4m), ("AWS", 1m))),
            Offer(3, 2, "tech", null, null, null, null, 0, Terms(("AWS", 1m), ("SaaS", 1m))),
            Offer(4, 2, "tech", null, null, null, null, 0, Terms(("SaaS", 1m))),
        ], Now);

        // AWS is in three offers but brought 3 points in all; each FX term brought 4 in one offer and ranks first
        // (the better offer's term first on the tie of points and offers). Counted by offers, AWS and SaaS would lead.
        Assert.Equal(["International Payments", "Divisa", "AWS", "SaaS"], metrics.EvidenceTerms);
    }

    [Fact]
    public void Evidence_tie_order_follows_the_best_offer_first()
    {
        var metrics = CompanyAggregator.Aggregate(
        [
            Offer(1, 3, evidence: ["Zeta"]),
            Offer(2, 8, evidence: ["Beta", "Alpha"]),
        ], Now);

        Assert.Equal(["Beta", "Alpha", "Zeta"], metrics.EvidenceTerms);
    }

    [Fact]
    public void Same_input_in_any_order_gives_the_same_metrics()
    {
        var offers = new List<CompanyOffer>();
        for (var i = 1; i <= 40; i++)
        {
            offers.Add(Offer(i, i % 5 == 0 ? null : i % 11, category: $"cat{i % 4}",
                published: i % 3 == 0 ? null : DaysAgo(i % 7),
                updated: i % 2 == 0 ? DaysAgo(i % 5) : null,
                firstSeen: DaysAgo(60 + i % 9), lastSeen: DaysAgo(i % 35), reposts: i % 3,
                evidence: [$"term{i % 6}", $"TERM{i % 4}", "USD"]) with
                {
                    Categories = i % 5 == 0 ? [] : [new($"cat{i % 4}", i % 4 + 1), new($"cat{(i + 1) % 4}", i % 3)],
                });
        }
        var expected = Describe(CompanyAggregator.Aggregate(offers, Now));

        var random = new Random(1234);
        for (var round = 0; round < 25; round++)
        {
            var shuffled = offers.OrderBy(_ => random.Next()).ToList();
            Assert.Equal(expected, Describe(CompanyAggregator.Aggregate(shuffled, Now)));
        }
    }

    private static string Describe(CompanyMetrics m) =>
        string.Join("|", m with { CategoryMaxScores = [], EvidenceTerms = [] },
            string.Join(",", m.CategoryMaxScores), string.Join(",", m.EvidenceTerms));

    [Theory]
    [InlineData("PENDING", true)]
    [InlineData("IN_PROGRESS", true)]
    [InlineData("high_interest", true)]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("ALREADY_CLIENT", false)]
    [InlineData(" accepted ", false)]
    [InlineData("REJECTED", false)]
    public void Final_resolutions_are_frozen(string? resolution, bool aggregate)
    {
        Assert.Equal(aggregate, CompanyAggregator.ShouldAggregate(resolution));
    }
}
