package dev.tributary.transform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Copies test projects into a temp folder and queries the resulting warehouse. */
final class Fixtures {
    private Fixtures() {}

    static Path copy(String resource, Path into) {
        try {
            Path src = Path.of(Fixtures.class.getResource("/" + resource).toURI());
            try (Stream<Path> s = Files.walk(src)) {
                for (Path p : s.toList()) {
                    Path dest = into.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(dest);
                    else Files.copy(p, dest);
                }
            }
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The target of a project p in dir whose profiles.yml has one output t, given as YAML (its keys at the left edge). */
    static WarehouseTarget profileTarget(Path dir, String output) {
        write(dir.resolve("dbt_project.yml"), "name: p\nprofile: p\n");
        write(dir.resolve("models/.keep"), "");
        write(dir.resolve("profiles.yml"), "p:\n  target: t\n  outputs:\n    t:\n" + output.indent(6));
        return TransformProject.load(dir, TransformOptions.defaults().withProfilesDir(dir)).target();
    }

    /** A minimal project: dbt_project.yml plus the given files (path, content pairs). */
    static Path project(Path dir, String... pathsAndContents) {
        write(dir.resolve("dbt_project.yml"), "name: t\nprofile: t\n");
        for (int i = 0; i < pathsAndContents.length; i += 2) write(dir.resolve(pathsAndContents[i]), pathsAndContents[i + 1]);
        return dir;
    }

    /** The compiled SQL of model v (its text given) in a minimal DuckDB project with the given macros in macros/m.sql. */
    static String compiledModel(Path dir, String macros, String model) {
        project(dir, "macros/m.sql", macros, "models/v.sql", model);
        List<CompiledNode> nodes = new TransformRunner(TransformProject.load(dir, duck(dir)), null).compile();
        return nodes.stream().filter(n -> n.name().equals("v")).findFirst().orElseThrow().compiledSql();
    }

    static TransformOptions duck(Path dir) {
        return TransformOptions.defaults().withWarehouse(WarehouseTarget.duckdb(dir.resolve("w.duckdb"), "main", 2));
    }

    static List<List<Object>> query(String jdbcUrl, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getObject(i));
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    static Object scalar(String jdbcUrl, String sql) {
        return query(jdbcUrl, sql).get(0).get(0);
    }
}
