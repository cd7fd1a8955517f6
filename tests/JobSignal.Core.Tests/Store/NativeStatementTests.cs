using Dapper;
using JobSignal.Core.Store;
using Microsoft.Data.Sqlite;

namespace JobSignal.Core.Tests.Store;

public class NativeStatementTests : StoreTestBase
{
    private const string Insert = "INSERT INTO probe (text, number, real, flag, at, bytes) VALUES (@text, @number, @real, @flag, @at, @bytes) RETURNING id";

    public NativeStatementTests()
    {
        Store.Connection.Execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, text TEXT, number INTEGER, real REAL, flag INTEGER, at TEXT, bytes BLOB)");
    }

    [Fact]
    public void Values_are_stored_as_the_store_keeps_them_and_an_empty_string_is_not_null()
    {
        var id = Store.Write(() => Store.Native(Insert).Set("@text", "").Set("@number", (long?)42).Set("@real", 2.5).Set("@flag", true)
            .Set("@at", (DateTimeOffset?)T0).Set("@bytes", new byte[] { 1, 2, 3 }).ExecuteInt64());
        var second = Store.Write(() => Store.Native(Insert).Set("@text", "acentuación €").Set("@number", (long?)null).Set("@real", 0.0)
            .Set("@flag", false).Set("@at", (DateTimeOffset?)null).Set("@bytes", (byte[]?)null).ExecuteInt64());

        var rows = Store.Connection.Query<(long Id, string? Text, string TextType, long? Number, double Real, long Flag, string? At, byte[]? Bytes)>(
            "SELECT id, text, typeof(text), number, real, flag, at, bytes FROM probe ORDER BY id").ToList();
        Assert.Equal((id!.Value, "", "text", (long?)42, 2.5, 1L, StoreTime.ToText(T0)), (rows[0].Id, rows[0].Text, rows[0].TextType, rows[0].Number, rows[0].Real, rows[0].Flag, rows[0].At));
        Assert.Equal(new byte[] { 1, 2, 3 }, rows[0].Bytes);
        Assert.Equal((second!.Value, "acentuación €", "text", (long?)null, 0L, (string?)null, (byte[]?)null),
            (rows[1].Id, rows[1].Text, rows[1].TextType, rows[1].Number, rows[1].Flag, rows[1].At, rows[1].Bytes));
    }

    [Theory]
    [InlineData(5_000)] // past the first buffer
    [InlineData(400_000)] // past what a statement keeps (up to 1.2 MB of UTF-8)
    public void Long_text_round_trips_whatever_its_length(int length)
    {
        var text = string.Concat(Enumerable.Repeat("añ€", length / 3 + 1))[..length];

        Store.Write(() => Store.Native(Insert).Set("@text", text).Set("@number", 1L).Set("@real", 1.0).Set("@flag", true)
            .Set("@at", (DateTimeOffset?)null).Set("@bytes", (byte[]?)null).ExecuteInt64());
        Store.Write(() => Store.Native(Insert).Set("@text", "short after long").ExecuteInt64());

        Assert.Equal([text, "short after long"], Store.Connection.Query<string>("SELECT text FROM probe ORDER BY id"));
    }

    [Fact]
    public void Utf8_text_is_stored_as_text_not_as_a_blob()
    {
        Store.Write(() => Store.Native(Insert).SetUtf8("@text", "{\"evidence\":\"tecnología\"}"u8).Set("@number", 1L).Set("@real", 1.0)
            .Set("@flag", true).Set("@at", (DateTimeOffset?)null).Set("@bytes", (byte[]?)null).ExecuteInt64());
        Store.Write(() => Store.Native(Insert).SetUtf8("@text", ReadOnlySpan<byte>.Empty).ExecuteInt64());

        Assert.Equal([("{\"evidence\":\"tecnología\"}", "text"), ("", "text")],
            Store.Connection.Query<(string, string)>("SELECT text, typeof(text) FROM probe ORDER BY id"));
        Assert.Equal(1L, Store.Connection.ExecuteScalar<long>("SELECT count(*) FROM probe WHERE text LIKE '%tecnolog_a%'"));
    }

    [Fact]
    public void A_failing_execution_throws_the_sqlite_error_and_leaves_the_statement_usable()
    {
        Store.Connection.Execute("CREATE TRIGGER refuse BEFORE INSERT ON probe WHEN NEW.number = 13 BEGIN SELECT RAISE(ABORT, 'unlucky number'); END");
        var statement = Store.Native(Insert).Set("@text", "x").Set("@real", 1.0).Set("@flag", false).Set("@at", (DateTimeOffset?)null).Set("@bytes", (byte[]?)null);

        var error = Assert.Throws<SqliteException>(() => Store.Write(() => statement.Set("@number", 13L).ExecuteInt64()));
        Assert.Contains("unlucky number", error.Message);

        Assert.NotNull(Store.Write(() => statement.Set("@number", 14L).ExecuteInt64()));
        Assert.Equal([14L], Store.Connection.Query<long>("SELECT number FROM probe"));
    }

    [Fact]
    public void Names_the_statement_does_not_use_are_ignored_and_it_runs_in_the_open_transaction()
    {
        Assert.Throws<InvalidOperationException>(() => Store.Write(() =>
        {
            Store.Native(Insert).Set("@text", "rolled back").Set("@unused", "ignored").Set("@number", 1L).Set("@real", 1.0).Set("@flag", true)
                .Set("@at", (DateTimeOffset?)T0).Set("@bytes", (byte[]?)null).ExecuteInt64();
            throw new InvalidOperationException("the write fails after the insert");
        }));

        Assert.Equal(0L, Store.Connection.ExecuteScalar<long>("SELECT count(*) FROM probe"));
    }
}
