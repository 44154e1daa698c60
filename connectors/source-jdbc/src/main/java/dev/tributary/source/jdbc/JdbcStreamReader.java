package dev.tributary.source.jdbc;

import dev.tributary.spi.DataException;
import dev.tributary.spi.Record;
import dev.tributary.spi.RecordBatch;
import dev.tributary.spi.Rejection;
import dev.tributary.spi.Schema;
import dev.tributary.spi.StreamReader;
import dev.tributary.spi.StreamState;
import dev.tributary.spi.SyncMode;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one table or query inside the session's read-only snapshot, in batches of {@code batch_size} rows,
 * each with the position after its last row as checkpoint.
 * <ul>
 *   <li>A full read of a table by its primary key reads pages:
 *       {@code WHERE (key) > (?) ORDER BY key LIMIT batch_size}, each an index range scan.</li>
 *   <li>Any other read with an order (incremental by cursor and key, a query or view with a configured key) is
 *       one query ordered by (cursor, key), streamed {@code fetch_size} rows at a time: paging it would sort the
 *       whole table again for every page when no index matches. A resumed read starts with
 *       {@code WHERE (cursor, key) > (?, ?)}, so nothing stored is read again and rows sharing a cursor value
 *       are never skipped.</li>
 *   <li>With a cursor but no key, positions are inclusive ({@code cursor >= ?}): rows at the last cursor value
 *       are read again on resume.</li>
 *   <li>With neither, one unordered query is streamed; only the last batch carries a checkpoint.</li>
 * </ul>
 */
final class JdbcStreamReader implements StreamReader {
    private static final int BOUND = -1;

    private final JdbcSession session;
    private final Relation relation;
    private final Schema schema;
    private final ValueKind[] kinds;
    private final boolean incremental;
    /** Columns rows are ordered and positioned by: the cursor first when incremental, then the key. */
    private final List<JdbcColumn> order;
    private final int[] orderIndex;
    /** The order is unique (it ends with the key): positions are exclusive. */
    private final boolean keyed;
    /** Read in LIMIT pages (a full read along the table's primary key index) rather than one streamed query. */
    private final boolean paged;
    private final int[] keyIndex;
    private final int batchSize;
    private final Object upperBound;
    private final String originPrefix;

    private Object[] position;
    private PreparedStatement firstPage;
    private PreparedStatement nextPage;
    private int[] firstParameters;
    private int[] nextParameters;
    private PreparedStatement streamStatement;
    private ResultSet stream;
    private long rowNumber;
    private boolean finished;

    JdbcStreamReader(JdbcSession session, Relation relation, SyncMode mode, Optional<JdbcState> resume) {
        this.session = session;
        this.relation = relation;
        this.schema = relation.schema();
        this.kinds = relation.columns().stream().map(JdbcColumn::kind).toArray(ValueKind[]::new);
        this.incremental = mode == SyncMode.INCREMENTAL;
        if (incremental && relation.cursor().isEmpty()) {
            throw relation.options().where().error("cursor", "is needed to read " + relation.id() + " incrementally: name the column"
                    + " that grows when a row changes (updated_at, or an increasing id), or read the stream full_refresh");
        }
        List<String> orderNames = new ArrayList<>();
        relation.cursor().filter(c -> incremental).ifPresent(orderNames::add);
        for (String k : relation.primaryKey()) {
            if (!orderNames.contains(k)) orderNames.add(k);
        }
        this.keyed = !relation.primaryKey().isEmpty();
        this.paged = keyed && !incremental && relation.indexedKey();
        this.order = orderNames.stream().map(relation::column).toList();
        this.orderIndex = orderNames.stream().mapToInt(relation::indexOf).toArray();
        this.keyIndex = relation.primaryKey().stream().mapToInt(relation::indexOf).toArray();
        this.batchSize = relation.options().batchSize();
        this.originPrefix = relation.label() + ":";
        this.position = resumePosition(resume);
        this.upperBound = upperBound();
    }

    @Override
    public Optional<RecordBatch> next() {
        if (finished) return Optional.empty();
        List<Record> records = new ArrayList<>(Math.min(batchSize, 4096));
        List<Rejection> rejections = new ArrayList<>();
        try {
            int rows = paged ? readPage(records, rejections) : readStream(records, rejections);
            if (paged && rows < batchSize) finished = true;
            if (rows == 0 && incremental) return Optional.empty();
            return Optional.of(new RecordBatch(schema, records, rejections, checkpoint()));
        } catch (SQLException e) {
            close();
            throw session.failure("reading " + relation.label(), e);
        }
    }

    /** The state once this batch is stored: the position after it, or "complete" at the end of a full read. */
    private Optional<StreamState> checkpoint() {
        JdbcState state;
        if (incremental) {
            state = JdbcState.incremental(relation.cursor().orElseThrow(), positionValues(), !keyed);
        } else if (finished) {
            state = JdbcState.fullComplete();
        } else if (keyed) {
            state = JdbcState.fullAt(positionValues());
        } else {
            // An unordered read has no position to resume from: only its end is a checkpoint.
            return Optional.empty();
        }
        return Optional.of(JdbcStateCodec.INSTANCE.toState(relation.id(), state));
    }

    private List<JdbcState.PositionValue> positionValues() {
        List<JdbcState.PositionValue> out = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) out.add(new JdbcState.PositionValue(order.get(i).name(), order.get(i).type(), position[i]));
        return out;
    }

    /** One page: the next {@code batch_size} rows after the position. */
    private int readPage(List<Record> records, List<Rejection> rejections) throws SQLException {
        PreparedStatement ps;
        int[] parameters;
        if (position == null) {
            if (firstPage == null) {
                Sql sql = sql(false);
                firstPage = prepare(sql.text());
                firstParameters = sql.parameters();
            }
            ps = firstPage;
            parameters = firstParameters;
        } else {
            if (nextPage == null) {
                Sql sql = sql(true);
                nextPage = prepare(sql.text());
                nextParameters = sql.parameters();
            }
            ps = nextPage;
            parameters = nextParameters;
        }
        bind(ps, parameters);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rows < batchSize && rs.next()) {
                readRow(rs, records, rejections);
                rows++;
            }
        }
        return rows;
    }

    /** Up to {@code batch_size} rows of the one streamed query. */
    private int readStream(List<Record> records, List<Rejection> rejections) throws SQLException {
        if (stream == null) {
            Sql sql = sql(position != null);
            streamStatement = prepare(sql.text());
            bind(streamStatement, sql.parameters());
            stream = streamStatement.executeQuery();
        }
        int rows = 0;
        while (rows < batchSize) {
            if (!stream.next()) {
                finished = true;
                closeStream();
                break;
            }
            readRow(stream, records, rejections);
            rows++;
        }
        return rows;
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = session.connection().prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        ps.setFetchSize(relation.options().fetchSize());
        return ps;
    }

    private void bind(PreparedStatement ps, int[] parameters) throws SQLException {
        JdbcColumn cursor = relation.cursor().map(relation::column).orElse(null);
        for (int i = 0; i < parameters.length; i++) {
            int p = parameters[i];
            if (p == BOUND) cursor.kind().bind(ps, i + 1, upperBound);
            else order.get(p).kind().bind(ps, i + 1, position[p]);
        }
    }

    private void readRow(ResultSet rs, List<Record> records, List<Rejection> rejections) throws SQLException {
        rowNumber++;
        int n = kinds.length;
        Object[] values = new Object[n];
        String problem = null;
        try {
            for (int i = 0; i < n; i++) values[i] = kinds[i].read(rs, i + 1);
        } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("22")) throw e;
            problem = rereadAfterFailure(rs, values);
        } catch (RuntimeException e) {
            problem = rereadAfterFailure(rs, values);
        }
        if (!order.isEmpty()) {
            Object[] next = new Object[order.size()];
            for (int i = 0; i < next.length; i++) {
                Object v = values[orderIndex[i]];
                if (v == null) {
                    throw new DataException(origin(values), "column '" + order.get(i).name() + "' is NULL; a key column must be unique and"
                            + " never NULL (check primary_key in the settings)");
                }
                next[i] = v;
            }
            position = next;
        }
        if (problem == null) {
            records.add(new Record(values, origin(values)));
        } else {
            rejections.add(new Rejection(origin(values), problem, raw(values)));
        }
    }

    /**
     * After a value failed to convert (a PostgreSQL numeric NaN has no DECIMAL), reads the row column by column:
     * what converts is kept (the key is needed to go on), and what does not is described.
     */
    private String rereadAfterFailure(ResultSet rs, Object[] values) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            try {
                values[i] = kinds[i].read(rs, i + 1);
            } catch (SQLException | RuntimeException e) {
                JdbcColumn c = relation.columns().get(i);
                String text;
                try {
                    text = rs.getString(i + 1);
                } catch (SQLException unreadable) {
                    text = "(unreadable)";
                }
                values[i] = text;
                problems.add("column '" + c.name() + "' (" + c.nativeType() + "): '" + text + "' cannot be read as " + c.type().configName()
                        + " (" + e.getMessage() + ")");
                for (int k : orderIndex) {
                    if (k == i) throw new DataException(origin(values), "key column " + problems.get(problems.size() - 1));
                }
            }
        }
        return String.join("; ", problems);
    }

    private String raw(Object[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(relation.columns().get(i).name()).append('=').append(values[i]);
        }
        return sb.toString();
    }

    /** {@code public.users:id=42}; without a key, {@code public.events:row 17} (the row's number in this read). */
    private String origin(Object[] values) {
        if (keyIndex.length == 1) return originPrefix + relation.primaryKey().get(0) + "=" + values[keyIndex[0]];
        if (keyIndex.length == 0) return originPrefix + "row " + rowNumber;
        StringBuilder sb = new StringBuilder(originPrefix);
        for (int i = 0; i < keyIndex.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(relation.primaryKey().get(i)).append('=').append(values[keyIndex[i]]);
        }
        return sb.toString();
    }

    private record Sql(String text, int[] parameters) {}

    /** The read's query; {@code fromPosition} adds the condition that starts it after (or at) the position. */
    private Sql sql(boolean fromPosition) {
        Dialect d = session.dialect();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < relation.columns().size(); i++) {
            if (i > 0) sql.append(", ");
            sql.append(relation.columns().get(i).selectExpression());
        }
        sql.append(" FROM ").append(relation.from());
        List<String> conditions = new ArrayList<>();
        List<Integer> parameters = new ArrayList<>();
        if (incremental) {
            JdbcColumn cursor = relation.column(relation.cursor().orElseThrow());
            conditions.add(d.quote(cursor.name()) + " IS NOT NULL");
            if (upperBound != null) {
                conditions.add(d.quote(cursor.name()) + " <= " + cursor.placeholder());
                parameters.add(BOUND);
            }
        }
        if (fromPosition) conditions.add(positionCondition(d, parameters));
        if (!conditions.isEmpty()) sql.append(" WHERE ").append(String.join(" AND ", conditions));
        if (!order.isEmpty()) {
            sql.append(" ORDER BY ");
            for (int i = 0; i < order.size(); i++) sql.append(i > 0 ? ", " : "").append(d.quote(order.get(i).name()));
        }
        if (paged) sql.append(" LIMIT ").append(batchSize);
        return new Sql(sql.toString(), parameters.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * After the position: {@code (a, b) > (?, ?)} where the server compares row values well, else
     * {@code (a > ? OR (a = ? AND b > ?))}; {@code a >= ?} for a cursor without a key.
     */
    private String positionCondition(Dialect d, List<Integer> parameters) {
        if (!keyed) {
            parameters.add(0);
            return d.quote(order.get(0).name()) + " >= " + order.get(0).placeholder();
        }
        if (order.size() == 1) {
            parameters.add(0);
            return d.quote(order.get(0).name()) + " > " + order.get(0).placeholder();
        }
        if (d.rowValueComparison()) {
            StringBuilder left = new StringBuilder("(");
            StringBuilder right = new StringBuilder("(");
            for (int i = 0; i < order.size(); i++) {
                left.append(i > 0 ? ", " : "").append(d.quote(order.get(i).name()));
                right.append(i > 0 ? ", " : "").append(order.get(i).placeholder());
                parameters.add(i);
            }
            return left + ") > " + right + ")";
        }
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                terms.add(d.quote(order.get(j).name()) + " = " + order.get(j).placeholder());
                parameters.add(j);
            }
            terms.add(d.quote(order.get(i).name()) + " > " + order.get(i).placeholder());
            parameters.add(i);
            alternatives.add(terms.size() == 1 ? terms.get(0) : "(" + String.join(" AND ", terms) + ")");
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    /** The position to start after, from a state written for the same cursor and key; null to read from the start. */
    private Object[] resumePosition(Optional<JdbcState> resume) {
        if (resume.isEmpty()) return null;
        JdbcState s = resume.get();
        // A state of the other mode (a full read before an incremental one, or the reverse) says nothing useful: start over.
        if (incremental != (s.mode() == JdbcState.Mode.INCREMENTAL) || s.complete() || s.position().isEmpty()) return null;
        if (incremental && !s.cursor().equals(relation.cursor())) {
            throw stateMismatch("cursor '" + s.cursor().orElse("") + "'", "cursor '" + relation.cursor().orElse("") + "'");
        }
        List<String> names = order.stream().map(JdbcColumn::name).toList();
        if (!s.positionColumns().equals(names) || s.inclusive() == keyed) {
            throw stateMismatch("position " + s.positionColumns() + (s.inclusive() ? " (no key)" : ""), "order " + names + (keyed ? "" : " (no key)"));
        }
        Object[] values = new Object[order.size()];
        for (int i = 0; i < values.length; i++) {
            JdbcState.PositionValue v = s.position().get(i);
            if (v.type() != order.get(i).type()) {
                throw stateMismatch("column '" + v.column() + "' as " + v.type().configName(), "the column as " + order.get(i).type().configName());
            }
            values[i] = v.value();
        }
        return values;
    }

    private IllegalStateException stateMismatch(String was, String now) {
        return new IllegalStateException("the state of stream " + relation.id() + " was written for " + was + ", but the stream now has "
                + now + "; run a full refresh of the stream to start it again");
    }

    /** With a cursor lag, the newest cursor value this read takes: the server's clock (UTC) minus the lag. */
    private Object upperBound() {
        Optional<Duration> lag = relation.options().cursorLag();
        if (!incremental || lag.isEmpty()) return null;
        JdbcColumn cursor = relation.column(relation.cursor().orElseThrow());
        Instant bound;
        try {
            bound = session.dialect().serverTime(session.connection()).minus(lag.get());
        } catch (SQLException e) {
            throw session.failure("reading the server's clock", e);
        }
        return switch (cursor.type()) {
            case TIMESTAMP_TZ -> bound;
            case TIMESTAMP -> LocalDateTime.ofInstant(bound, ZoneOffset.UTC);
            case DATE -> LocalDate.ofInstant(bound, ZoneOffset.UTC);
            default -> throw new IllegalStateException("cursor_lag on a " + cursor.type() + " cursor");
        };
    }

    @Override
    public void close() {
        finished = true;
        if (stream != null) {
            // Stopped inside a streamed result: drop the connection rather than drain the rows left.
            stream = null;
            streamStatement = null;
            session.abort();
            return;
        }
        for (PreparedStatement ps : new PreparedStatement[] {firstPage, nextPage}) {
            if (ps == null) continue;
            try {
                ps.close();
            } catch (SQLException e) {
                // The session closes the connection next.
            }
        }
        firstPage = null;
        nextPage = null;
        session.close();
    }

    private void closeStream() {
        try {
            if (stream != null) stream.close();
            if (streamStatement != null) streamStatement.close();
        } catch (SQLException e) {
            // The session closes the connection anyway.
        }
        stream = null;
        streamStatement = null;
    }
}
