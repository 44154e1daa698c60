package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testkit.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code show} on any synced table (connection.table, as the sync summary names it), an inline query, and
 * {@code rejects}, on a project with no models, on DuckDB and on PostgreSQL with a schema prefix.
 */
class ShowTablesTest {
    @TempDir
    Path dir;

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private void project(String destination) throws IOException {
        write(dir.resolve("tributary.yml"), """
                name: shop
                destination: %s
                connections:
                  crm:
                    type: files
                    on_error: reject
                    config:
                      streams:
                        - {name: contacts, path: "data/contacts.csv", format: csv, primary_key: [id], types: {id: integer, score: integer}}
                        - {name: Deal Notes, path: "data/notes.csv", format: csv}
                """.formatted(destination));
        write(dir.resolve("data/contacts.csv"), "id,name,score\n1,Ann,10\n2,Bob,not a number\n3,Cid,30\n4,Dee,forty\n");
        write(dir.resolve("data/notes.csv"), "note\nfirst\nsecond\n");
    }

    @Test
    void showReadsSyncedTablesInlineQueriesAndRejectsOnDuckDb() throws Exception {
        project("{type: duckdb, path: wh.duckdb}");
        CliRunner cli = new CliRunner(dir, Map.of());

        CliRunner.Result before = cli.run("show", "crm.contacts");
        assertThat(before.exitCode()).as(before.toString()).isEqualTo(ExitCode.CONFIG);
        assertThat(before.err()).contains("crm.contacts").contains("run 'tributary sync' first");
        assertThat(dir.resolve("wh.duckdb")).as("show never creates the warehouse").doesNotExist();

        CliRunner.Result sync = cli.run("sync");
        assertThat(sync.exitCode()).as(sync.toString()).isZero();
        assertThat(sync.out()).contains("crm.contacts").contains("2 rejected")
                .contains("To see the rejected input: tributary -p " + dir + " rejects crm");

        CliRunner.Result show = cli.run("show", "crm.contacts", "--order-by", "id");
        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("crm.contacts: 2 rows").containsPattern("id +name +score").containsPattern("1 +Ann +10")
                .containsPattern("3 +Cid +30");
        CliRunner.Result spaced = cli.run("show", "crm.Deal Notes", "--limit", "1");
        assertThat(spaced.exitCode()).as("names are matched as the destination normalises them: " + spaced).isZero();
        assertThat(spaced.out()).contains("crm.deal_notes: 2 rows");

        CliRunner.Result inline = cli.run("show", "--inline", "select name, score * 2 as double_score from crm.contacts where id > 1;", "--order-by", "name");
        assertThat(inline.exitCode()).as(inline.toString()).isZero();
        assertThat(inline.out()).containsPattern("name +double_score").containsPattern("Cid +60").doesNotContain("Ann");
        CliRunner.Result badSql = cli.run("show", "--inline", "select nope from crm.contacts");
        assertThat(badSql.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(badSql.err()).contains("the query failed").contains("nope");
        CliRunner.Result writes = cli.run("show", "--inline", "delete from crm.contacts");
        assertThat(writes.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(Warehouse.number(dir.resolve("wh.duckdb"), "select count(*) from crm.contacts")).as("show reads only").isEqualTo(2);

        CliRunner.Result typo = cli.run("show", "crm.contact");
        assertThat(typo.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(typo.err()).contains("no table of that name").contains("did you mean 'crm.contacts'?");
        CliRunner.Result none = cli.run("show", "zzz.qqq");
        assertThat(none.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(none.err()).contains("tables look like connection.table");
        CliRunner.Result both = cli.run("show", "crm.contacts", "--inline", "select 1");
        assertThat(both.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(cli.run("show").exitCode()).isEqualTo(ExitCode.CONFIG);

        CliRunner.Result rejects = cli.run("rejects", "crm");
        assertThat(rejects.exitCode()).as(rejects.toString()).isZero();
        assertThat(rejects.out()).contains("crm: 2 rejected records (in crm._tributary_rejects)").contains("contacts.csv:3").contains("contacts.csv:5")
                .contains("not a number").contains("forty");
        CliRunner.Result json = cli.run("rejects", "crm", "--stream", "contacts", "--limit", "1", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.out()).contains("\"total\" : 2").contains("\"origin\" :").containsOnlyOnce("\"reason\"");
        CliRunner.Result noneRejected = cli.run("rejects", "crm", "--stream", "Deal Notes");
        assertThat(noneRejected.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(noneRejected.err()).contains("streams with rejects: contacts");
        CliRunner.Result unknownConnection = cli.run("rejects", "crn");
        assertThat(unknownConnection.exitCode()).isEqualTo(ExitCode.CONFIG);
        assertThat(unknownConnection.err()).contains("did you mean 'crm'?");
    }

    @Test
    void showFindsConnectionTablesUnderThePostgresSchemaPrefix() throws Exception {
        String url = TestDatabases.postgresUrl();
        String prefix = "show_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        project("{type: postgres, url: \"" + url + "\", schema_prefix: " + prefix + "}");
        CliRunner cli = new CliRunner(dir, Map.of());
        try {
            CliRunner.Result sync = cli.run("sync");
            assertThat(sync.exitCode()).as(sync.toString()).isZero();
            assertThat(sync.out()).contains(prefix + "crm.contacts");

            CliRunner.Result byConnection = cli.run("show", "crm.contacts", "--order-by", "id");
            assertThat(byConnection.exitCode()).as(byConnection.toString()).isZero();
            assertThat(byConnection.out()).contains(prefix + "crm.contacts: 2 rows").containsPattern("1 +Ann +10");
            CliRunner.Result asSummaryNamesIt = cli.run("show", prefix + "crm.contacts", "--limit", "0");
            assertThat(asSummaryNamesIt.exitCode()).as(asSummaryNamesIt.toString()).isZero();
            CliRunner.Result inline = cli.run("show", "--inline", "select count(*) as n from " + prefix + "crm.contacts");
            assertThat(inline.out()).containsPattern("n\\s+2");
            TestDatabases.execute(url, "create sequence " + prefix + "crm.seq");
            CliRunner.Result nextval = cli.run("show", "--inline", "select nextval('" + prefix + "crm.seq')");
            assertThat(nextval.exitCode()).as("the query runs in a read-only transaction: " + nextval).isEqualTo(ExitCode.FAILED);
            assertThat(nextval.err()).contains("read-only transaction");
            // a second statement would run after the read-only transaction's end: refused before anything runs
            CliRunner.Result escape = cli.run("show", "--inline", "select 1) x; commit; drop table " + prefix + "crm.contacts; select * from (select 1");
            assertThat(escape.exitCode()).as(escape.toString()).isEqualTo(ExitCode.CONFIG);
            assertThat(escape.err()).contains("one query");
            assertThat(cli.run("show", prefix + "crm.contacts", "--limit", "0").out()).contains(prefix + "crm.contacts: 2 rows");
            CliRunner.Result literal = cli.run("show", "--inline", "select ';' as semi -- a comment; not a statement\n");
            assertThat(literal.exitCode()).as(literal.toString()).isZero();
            CliRunner.Result typo = cli.run("show", "crm.contacs");
            assertThat(typo.exitCode()).isEqualTo(ExitCode.CONFIG);
            assertThat(typo.err()).contains("did you mean 'crm.contacts'?");

            CliRunner.Result rejects = cli.run("rejects", "crm", "--stream", "contacts");
            assertThat(rejects.exitCode()).as(rejects.toString()).isZero();
            assertThat(rejects.out()).contains("2 rejected records").contains(prefix + "crm");

            write(dir.resolve("models/answer.sql"), "select 42 as answer\n");
            CliRunner.Result notBuilt = cli.run("show", "answer", "crm.contacts");
            assertThat(notBuilt.exitCode()).as(notBuilt.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(notBuilt.err()).contains("build it first");
            assertThat(notBuilt.out()).as("the next relation is still read").contains(prefix + "crm.contacts: 2 rows");
            assertThat(cli.run("build").exitCode()).isZero();
            CliRunner.Result model = cli.run("show", "answer");
            assertThat(model.exitCode()).as(model.toString()).isZero();
            assertThat(model.out()).contains("answer (\"" + prefix + "public\".\"answer\"): 1 row").containsPattern("answer\\s+42");
        } finally {
            TestDatabases.dropPostgresSchema(url, prefix + "crm");
            TestDatabases.dropPostgresSchema(url, prefix + "tributary");
            TestDatabases.dropPostgresSchema(url, prefix + "public");
            TestDatabases.dropPostgresSchema(url, prefix + "public_tributary");
        }
    }
}
