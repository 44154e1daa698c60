package dev.tributary.source.files;

import dev.tributary.spi.Config;
import dev.tributary.spi.DataException;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Discovers a stream's schema: reads the first {@code infer_rows} rows of every matching file, in path order,
 * through the same readers as a sync, so that discovery and reading agree. Columns come in first-seen order;
 * each takes the widest type of its sampled values (text when it had none), or the user's type.
 */
final class SchemaSampler {
    private SchemaSampler() {}

    static Schema sample(FilesConfig files, FilesConfig.StreamConfig stream) {
        List<FileMatcher.MatchedFile> found;
        try {
            found = FileMatcher.find(files.basePath(), stream.paths());
        } catch (IOException e) {
            throw new DataException(String.join(", ", stream.paths()), "cannot list files: " + e, e);
        }
        if (found.isEmpty() && stream.missingFiles() == FilesConfig.MissingFiles.FAIL) throw FilesSource.noFiles(files, stream);

        BatchBuilder sampler = BatchBuilder.forSampling(stream.types());
        for (String column : stream.csv().columns()) sampler.seenColumn(column);
        for (FileMatcher.MatchedFile f : found) {
            try (FileRowReader reader = FileRowReader.open(stream, f, sampler)) {
                for (int i = 0; i < stream.inferRows() && reader.read(); i++) {
                    // sampling only: the builder keeps the columns and their types
                }
            } catch (IOException e) {
                throw new DataException(f.relativePath(), "cannot read: " + e.getMessage(), e);
            }
        }

        Schema sampled = sampler.schema();
        List<Field> fields = new ArrayList<>(sampled.fields());
        // A CSV file's header names all its columns: a type or key for any other column is a typo.
        boolean headersKnown = stream.format() == FilesConfig.FileFormat.CSV && !found.isEmpty();
        Config types = stream.settings().child("types");
        stream.types().forEach((column, type) -> {
            if (sampled.indexOf(column) >= 0) return;
            if (headersKnown) throw types.error(column, notAColumn(column, sampled));
            fields.add(Field.of(column, type));
        });
        for (String key : stream.primaryKey()) {
            if (fields.stream().anyMatch(f -> f.name().equals(key))) continue;
            if (!found.isEmpty()) throw stream.settings().error("primary_key", notAColumn(key, sampled));
            fields.add(Field.of(key, DataType.TEXT));
        }
        return new Schema(fields, stream.primaryKey());
    }

    private static String notAColumn(String column, Schema sampled) {
        List<String> names = sampled.fieldNames();
        String shown = names.size() <= 30 ? String.join(", ", names) : String.join(", ", names.subList(0, 30)) + ", ...";
        return "column '" + column + "' is not in the files" + Config.didYouMean(column, names) + "; columns found: " + shown;
    }
}
