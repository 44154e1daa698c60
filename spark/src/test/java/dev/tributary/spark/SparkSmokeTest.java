package dev.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSmokeTest {
    @TempDir static Path dir;

    @AfterAll
    static void stop() {
        SparkDriver.shutdown();
    }

    @Test
    void runs() throws Exception {
        Properties p = new Properties();
        p.setProperty("spark.sql.catalog.tributary", "org.apache.iceberg.spark.SparkCatalog");
        p.setProperty("spark.sql.catalog.tributary.type", "jdbc");
        p.setProperty("spark.sql.catalog.tributary.uri", "jdbc:sqlite:" + dir.resolve("catalog.sqlite"));
        p.setProperty("spark.sql.catalog.tributary.jdbc.schema-version", "V1");
        p.setProperty("spark.sql.catalog.tributary.warehouse", dir.toString());
        p.setProperty("spark.sql.defaultCatalog", "tributary");
        long t0 = System.nanoTime();
        try (Connection c = new SparkDriver().connect("jdbc:tributary-spark:local[2]", p); Statement s = c.createStatement()) {
            System.out.println("start " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            s.execute("create schema if not exists \"an\"");
            s.execute("create or replace table \"an\".\"t\" as (select 1 as id, 'a' as name, cast('2024-01-01 10:00:00' as timestamp) as ts)");
            s.execute("create or replace view \"an\".\"v\" as (select * from \"an\".\"t\")");
            s.execute("merge into an.t as t using (select 1 as id, 'b' as name, cast(null as timestamp) as ts) as s on t.id = s.id when matched then update set * when not matched then insert *");
            try (ResultSet rs = s.executeQuery("select id, name, ts, md5(cast(id as string) || '|') from an.v")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo("b");
                System.out.println(rs.getMetaData().getColumnTypeName(3) + " " + rs.getObject(3));
            }
            try (ResultSet rs = s.executeQuery("show views in an")) {
                while (rs.next()) System.out.println("view " + rs.getString(1) + " " + rs.getString(2));
            }
            try (ResultSet rs = s.executeQuery("show tables in an")) {
                while (rs.next()) System.out.println("table " + rs.getString(1) + " " + rs.getString(2));
            }
            s.execute("alter table an.t rename to an.t2");
            try (ResultSet rs = s.executeQuery("show tables in an")) {
                while (rs.next()) System.out.println("table " + rs.getString(1) + " " + rs.getString(2));
            }
        }
    }
}
