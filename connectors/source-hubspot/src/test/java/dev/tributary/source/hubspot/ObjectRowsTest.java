package dev.tributary.source.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.spi.Record;
import dev.tributary.spi.Schema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows of records that carry every property of a wide object. */
class ObjectRowsTest {
    /**
     * A search answer lists every requested property of every record, null or not (~450 for contacts): each value
     * lands in its own column, empty and null ones as NULL, typed by its definition. (Building a row used to look each
     * property up with a linear scan of the columns, O(columns^2) per record; its speed is measured by
     * bench/run-hubspot, not here.)
     */
    @Test
    void rowsOfVeryWideRecordsPutEveryValueInItsColumn() {
        int width = 20_000;
        List<PropertyDef> props = new ArrayList<>();
        for (int i = 0; i < width; i++) props.add(new PropertyDef(String.format("p%05d", i), i % 2 == 0 ? "number" : "string", "text"));
        Schema schema = ObjectRows.schema(props);
        ObjectRows rows = new ObjectRows("contacts", schema, props);
        List<ObjectNode> records = new ArrayList<>();
        for (int r = 0; r < 50; r++) {
            ObjectNode rec = HubspotClient.JSON.createObjectNode().put("id", Integer.toString(1000 + r)).put("archived", false);
            ObjectNode p = rec.putObject("properties");
            for (int i = 0; i < width; i++) {
                String name = String.format("p%05d", i);
                if (i % 97 == 0) p.put(name, i % 2 == 0 ? Integer.toString(i) : "v" + i);
                else if (i % 11 == 0) p.put(name, "");
                else p.putNull(name);
            }
            records.add(rec);
        }
        List<Record> built = new ArrayList<>();
        for (ObjectNode rec : records) built.add(rows.live(rec));
        assertThat(built).hasSize(50);
        Record first = built.get(0);
        assertThat(first.value(schema.indexOf("id"))).isEqualTo("1000");
        assertThat(first.value(schema.indexOf("p00000"))).isEqualTo(new BigDecimal("0"));
        assertThat(first.value(schema.indexOf("p00097"))).isEqualTo("v97");
        assertThat(first.value(schema.indexOf("p00194"))).isEqualTo(new BigDecimal("194"));
        assertThat(first.value(schema.indexOf("p00011"))).as("\"\" becomes NULL").isNull();
        assertThat(first.value(schema.indexOf("p00001"))).isNull();
    }
}
