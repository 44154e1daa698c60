package dev.tributary.project;

import dev.tributary.spi.Catalog;
import dev.tributary.spi.CheckResult;
import dev.tributary.spi.Config;
import dev.tributary.spi.ConfiguredStream;
import dev.tributary.spi.ConnectorSpec;
import dev.tributary.spi.DataType;
import dev.tributary.spi.Field;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Schema;
import dev.tributary.spi.SecretStore;
import dev.tributary.spi.Source;
import dev.tributary.spi.StreamDescriptor;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tenant's source: every stream gains the {@value #COLUMN} column holding the tenant (the HubSpot hub id), so
 * rows say whose they are wherever they end up (a union of tenants' tables in a model, an export). The wrapped
 * source never sees the column.
 */
public final class TenantColumnSource implements Source {
    public static final String COLUMN = "_tributary_tenant";

    private final Source source;
    private final String tenant;

    public TenantColumnSource(Source source, String tenant) {
        this.source = source;
        this.tenant = tenant;
    }

    @Override
    public ConnectorSpec spec() {
        return source.spec();
    }

    @Override
    public void validate(Config config) {
        source.validate(config);
    }

    @Override
    public CheckResult check(Config config) {
        return source.check(config);
    }

    @Override
    public Catalog discover(Config config) {
        return new Catalog(source.discover(config).streams().stream().map(TenantColumnSource::withColumn).toList());
    }

    @Override
    public StreamReader read(Config config, ConfiguredStream stream, Optional<StreamState> resumeFrom) {
        StreamReader reader = source.read(config, stream.withDescriptor(withoutColumn(stream.descriptor())), resumeFrom);
        return new StreamReader() {
            @Override
            public Optional<RecordBatch> next() {
                return reader.next().map(TenantColumnSource.this::tag);
            }

            @Override
            public Optional<String> fallbackReason() {
                return reader.fallbackReason();
            }

            @Override
            public void close() {
                reader.close();
            }
        };
    }

    @Override
    public void useSecrets(SecretStore secrets) {
        source.useSecrets(secrets);
    }

    private RecordBatch tag(RecordBatch batch) {
        if (batch.schema().indexOf(COLUMN) >= 0) throw new IllegalStateException("the source already has a column " + COLUMN);
        List<Field> fields = new ArrayList<>(batch.schema().fields());
        fields.add(new Field(COLUMN, DataType.TEXT, false));
        Schema schema = new Schema(fields, batch.schema().primaryKey());
        List<Record> records = new ArrayList<>(batch.records().size());
        for (Record r : batch.records()) {
            Object[] values = java.util.Arrays.copyOf(r.values(), r.values().length + 1);
            values[values.length - 1] = tenant;
            records.add(new Record(values, r.origin(), r.deletedAt()));
        }
        return batch.withRecords(schema, records, batch.rejections());
    }

    private static StreamDescriptor withColumn(StreamDescriptor d) {
        List<Field> fields = new ArrayList<>(d.schema().fields());
        fields.add(new Field(COLUMN, DataType.TEXT, false));
        return new StreamDescriptor(d.id(), new Schema(fields, d.schema().primaryKey()), d.modes(), d.cursorField());
    }

    private static StreamDescriptor withoutColumn(StreamDescriptor d) {
        List<Field> fields = d.schema().fields().stream().filter(f -> !f.name().equals(COLUMN)).toList();
        return new StreamDescriptor(d.id(), new Schema(fields, d.schema().primaryKey()), d.modes(), d.cursorField());
    }
}
