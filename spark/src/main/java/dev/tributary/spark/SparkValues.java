package dev.tributary.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/** Spark's row values as plain Java values: Scala sequences become lists, maps become maps, structs their text. */
final class SparkValues {
    private SparkValues() {}

    static Object toJava(Object v) {
        if (v instanceof scala.collection.Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            scala.collection.Iterator<? extends scala.Tuple2<?, ?>> it = m.iterator();
            while (it.hasNext()) {
                scala.Tuple2<?, ?> e = it.next();
                out.put(toJava(e._1()), toJava(e._2()));
            }
            return out;
        }
        if (v instanceof scala.collection.Iterable<?> s) {
            List<Object> out = new ArrayList<>();
            scala.collection.Iterator<?> it = s.iterator();
            while (it.hasNext()) out.add(toJava(it.next()));
            return out;
        }
        if (v instanceof Row r) return r.toString();
        return v;
    }

    /** The text of a value as a database prints it: timestamps with a space, no trailing {@code .0}. */
    static String text(Object v) {
        if (v instanceof java.time.LocalDateTime t) return java.sql.Timestamp.valueOf(t).toString().replaceAll("\\.0$", "");
        if (v instanceof java.sql.Timestamp t) return t.toString().replaceAll("\\.0$", "");
        return v.toString();
    }
}
